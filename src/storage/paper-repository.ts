import { normalizePaperId, type Paper } from '../corpus/paper.ts';
import { contentHash } from './content-hash.ts';
import type { SqliteDatabase } from './database.ts';
import { canonicalJson, mergePaper, PaperStore, type StoreChange } from './paper-store.ts';

/**
 * The papers of the corpus, whichever engine stores them: the embedded SQLite `PaperStore`
 * (`SqlitePaperRepository`) or PostgreSQL (`PostgresPaperRepository`). One contract test suite
 * (`tests/storage/paper-repository.contract.ts`) runs against both.
 */
export interface PaperRepository {
  /** Number of stored papers. */
  count(): Promise<number>;
  /** One paper by id (a version suffix is ignored), or undefined. */
  get(id: string): Promise<Paper | undefined>;
  /** Every stored paper, ordered by id. */
  all(): Promise<Paper[]>;
  /** id -> content hash (of title and abstract) of every stored paper. */
  contentHashes(): Promise<Map<string, string>>;
  /** Papers whose Daily-Papers day is between the two days (inclusive), newest day first, then by trending rank, upvotes, id. */
  papersBetween(fromDay: string, toDay: string): Promise<Paper[]>;
  /** The newest Daily-Papers day stored (`YYYY-MM-DD`), or undefined. */
  newestDay(): Promise<string | undefined>;
  /**
   * Inserts new papers and merges re-seen ones (`mergePaper`), all or nothing, keyed by arXiv id
   * without version; a paper given twice is merged, never duplicated.
   */
  upsert(papers: readonly Paper[], now?: Date): Promise<StoreChange>;
}

/** The embedded repository: the synchronous SQLite `PaperStore` behind the async interface. */
export class SqlitePaperRepository implements PaperRepository {
  private readonly store: PaperStore;

  constructor(private readonly database: SqliteDatabase) {
    this.store = new PaperStore(database);
  }

  async count(): Promise<number> {
    return this.store.count();
  }

  async get(id: string): Promise<Paper | undefined> {
    return this.store.get(id);
  }

  async all(): Promise<Paper[]> {
    return this.store.all();
  }

  async contentHashes(): Promise<Map<string, string>> {
    return this.store.contentHashes();
  }

  async papersBetween(fromDay: string, toDay: string): Promise<Paper[]> {
    const ids = this.database
      .prepare<[string, string], { id: string }>(
        'SELECT id FROM papers WHERE daily_date >= ? AND daily_date <= ?',
      )
      .all(fromDay, toDay);
    return orderDailyPapers(ids.map((row) => this.store.get(row.id)).filter((paper) => paper !== undefined));
  }

  async newestDay(): Promise<string | undefined> {
    const row = this.database
      .prepare<[], { day: string | null }>('SELECT MAX(daily_date) AS day FROM papers')
      .get();
    return row?.day ?? undefined;
  }

  async upsert(papers: readonly Paper[], now?: Date): Promise<StoreChange> {
    return this.store.upsert(papers, now);
  }
}

/**
 * What an upsert of `papers` does given the stored versions of their ids (`stored`): the change
 * to report and the merged papers to write. The same rules as `PaperStore.upsert`.
 */
export function planUpsert(
  papers: readonly Paper[],
  stored: ReadonlyMap<string, Paper>,
): { change: StoreChange; writes: Paper[] } {
  const change: StoreChange = { added: [], updated: [], contentChanged: [], unchanged: 0 };
  const pending = new Map<string, Paper>();
  for (const raw of papers) {
    const incoming = { ...raw, id: normalizePaperId(raw.id) };
    const base = pending.get(incoming.id) ?? stored.get(incoming.id);
    pending.set(incoming.id, base ? mergePaper(base, incoming) : incoming);
  }
  const writes: Paper[] = [];
  for (const [id, paper] of pending) {
    const before = stored.get(id);
    if (!before) {
      change.added.push(id);
      writes.push(paper);
    } else if (canonicalJson(before) === canonicalJson(paper)) {
      change.unchanged++;
    } else {
      change.updated.push(id);
      if (contentHash(before) !== contentHash(paper)) change.contentChanged.push(id);
      writes.push(paper);
    }
  }
  return { change, writes };
}

/** Orders papers of a day range as `PaperStore.papersBetween` does: newest day, trending rank, upvotes, id. */
export function orderDailyPapers(papers: Paper[]): Paper[] {
  const rank = (paper: Paper) => paper.trendingRank ?? Number.MAX_SAFE_INTEGER;
  const day = (paper: Paper) => (paper.dailyPapersAt ?? '').slice(0, 10);
  return papers.sort(
    (left, right) =>
      day(right).localeCompare(day(left)) ||
      rank(left) - rank(right) ||
      (right.upvotes ?? -1) - (left.upvotes ?? -1) ||
      left.id.localeCompare(right.id),
  );
}
