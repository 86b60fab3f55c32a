import type { Paper } from '../corpus/paper.ts';
import type { PaperEmbeddings } from '../embeddings/types.ts';
import { Bm25Index, type LexicalHit } from '../retrieval/bm25.ts';
import { lexicalText } from '../retrieval/paper-index.ts';
import type { SearchCorpus } from '../retrieval/search-corpus.ts';
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

  /** Re-reads every paper from the table (after an ingest or index build elsewhere). */
  async reload(): Promise<void> {
    const papers = await this.repository.all();
    const seen = new Set<string>();
    for (const paper of papers) {
      seen.add(paper.id);
      this.byId.set(paper.id, paper);
      this.lexical.set(paper.id, lexicalText(paper));
    }
    for (const id of [...this.byId.keys()]) {
      if (seen.has(id)) continue;
      this.byId.delete(id);
      this.lexical.delete(id);
    }
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

  searchLexical(query: string, k: number): LexicalHit[] {
    return this.lexical.search(query, k);
  }

  idf(term: string): number {
    return this.lexical.idf(term);
  }

  documentFrequency(term: string): number {
    return this.lexical.documentFrequency(term);
  }
}
