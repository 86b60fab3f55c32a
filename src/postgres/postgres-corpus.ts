import type { Paper } from '../corpus/paper.ts';
import type { PaperEmbeddings } from '../embeddings/types.ts';
import { Bm25Index, type LexicalHit } from '../retrieval/bm25.ts';
import { lexicalText } from '../retrieval/paper-index.ts';
import type { SearchCorpus } from '../retrieval/search-corpus.ts';
import type { SpellingCorrection } from '../retrieval/spelling.ts';
import { PostgresPaperRepository } from './paper-repository.ts';
import { PgVectorStore } from './pg-vector-store.ts';

/**
 * The searchable corpus when `DATABASE_URL` is set: papers from the PostgreSQL `papers` table
 * with BM25 built in memory from them (the same lexical index as the embedded backend, so
 * lexical quality is identical), and passage vectors searched in pgvector.
 */
export class PostgresCorpus implements SearchCorpus {
  private readonly byId = new Map<string, Paper>();
  private readonly lexical = new Bm25Index();
  private readonly lexicalTexts = new Map<string, string>();
  /** The `changeMarker` the loaded papers correspond to. */
  private loadedMarker = '';
  private watchTimer: NodeJS.Timeout | undefined;
  private checking: Promise<boolean> | undefined;

  private constructor(
    readonly repository: PostgresPaperRepository,
    readonly vectorStore: PgVectorStore,
    readonly embeddings: PaperEmbeddings,
  ) {}

  /** Loads the papers and opens the vector store (creating its table for the model's dimensions). */
  static async open(
    pool: ConstructorParameters<typeof PostgresPaperRepository>[0],
    embeddings: PaperEmbeddings,
  ): Promise<PostgresCorpus> {
    const corpus = new PostgresCorpus(
      new PostgresPaperRepository(pool),
      await PgVectorStore.open(pool, embeddings),
      embeddings,
    );
    await corpus.reload();
    return corpus;
  }

  /**
   * A cheap fingerprint of the papers table: row count and newest `updated_at` (ISO text, so
   * nothing is lost to a JS Date). Any insert, delete or content update changes it.
   */
  async changeMarker(): Promise<string> {
    const { rows } = await this.repository.pool.query<{ n: string; newest: string | null }>(
      'SELECT COUNT(*) AS n, MAX(updated_at) AS newest FROM papers',
    );
    return `${rows[0]?.n ?? 0}/${rows[0]?.newest ?? ''}`;
  }

  /**
   * Reloads when another process (a CLI ingest, the leader's feed refresh) changed the papers
   * since the last load; true when it reloaded. Concurrent calls share one check.
   */
  reloadIfChanged(): Promise<boolean> {
    this.checking ??= (async () => {
      try {
        if ((await this.changeMarker()) === this.loadedMarker) return false;
        await this.reload();
        return true;
      } finally {
        this.checking = undefined;
      }
    })();
    return this.checking;
  }

  /**
   * Checks for changes every `intervalMs` in the background (off the answer path: questions keep
   * using the loaded papers until the reload is done). Errors are passed to `onError` and retried
   * at the next tick. Stop with `unwatch`.
   */
  watch(intervalMs: number, onError: (error: unknown) => void, onReload?: () => void): void {
    if (this.watchTimer) return;
    const tick = () => {
      this.reloadIfChanged().then((reloaded) => {
        if (reloaded) onReload?.();
      }, onError);
    };
    this.watchTimer = setInterval(tick, intervalMs);
    this.watchTimer.unref();
  }

  /** Stops `watch` and waits for a check in progress. */
  async unwatch(): Promise<void> {
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = undefined;
    await this.checking?.catch(() => undefined);
  }

  /** Re-reads every paper from the table (after an ingest or index build elsewhere). */
  async reload(): Promise<void> {
    // The marker is read first: a write landing during the read is seen again at the next check.
    const marker = await this.changeMarker();
    const papers = await this.repository.all();
    const seen = new Set<string>();
    for (const paper of papers) {
      seen.add(paper.id);
      this.byId.set(paper.id, paper);
      // Only new or edited papers are re-tokenised: a reload after one ingest stays cheap.
      const text = lexicalText(paper);
      if (this.lexicalTexts.get(paper.id) === text) continue;
      this.lexicalTexts.set(paper.id, text);
      this.lexical.set(paper.id, text);
    }
    for (const id of [...this.byId.keys()]) {
      if (seen.has(id)) continue;
      this.byId.delete(id);
      this.lexicalTexts.delete(id);
      this.lexical.delete(id);
    }
    this.loadedMarker = marker;
  }

  get size(): number {
    return this.byId.size;
  }

  papers(): Paper[] {
    return [...this.byId.values()];
  }

  get(id: string): Paper | undefined {
    return this.byId.get(id);
  }

  searchLexical(query: string, k: number, termWeight?: (term: string) => number): LexicalHit[] {
    return this.lexical.search(query, k, termWeight);
  }

  holdsTerm(paperId: string, term: string): boolean {
    return this.lexical.holds(paperId, term);
  }

  /** Papers like the weighted ones (`Bm25Index.searchLike`). */
  searchLike(documents: readonly { id: string; weight: number }[], k: number, terms: number): LexicalHit[] {
    return this.lexical.searchLike(documents, k, terms);
  }

  correctSpelling(query: string): SpellingCorrection {
    return this.lexical.correctSpelling(query);
  }

  idf(term: string): number {
    return this.lexical.idf(term);
  }

  documentFrequency(term: string): number {
    return this.lexical.documentFrequency(term);
  }
}
