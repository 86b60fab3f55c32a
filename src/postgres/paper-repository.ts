import type pg from 'pg';
import { normalizePaperId, type Paper } from '../corpus/paper.ts';
import { contentHash } from '../storage/content-hash.ts';
import { orderDailyPapers, type PaperRepository, planUpsert } from '../storage/paper-repository.ts';
import { canonicalJson, parseStoredPaper, type StoreChange } from '../storage/paper-store.ts';
import { inTransaction } from './transaction.ts';

interface PaperRow {
  id: string;
  data: string;
}

/** Rows written per INSERT statement. */
const WRITE_BATCH = 200;

/** The `papers` table in PostgreSQL: the same columns and rules as the SQLite `PaperStore`. */
export class PostgresPaperRepository implements PaperRepository {
  constructor(
    /** The pool the repository queries (also used for the writer lock). */
    readonly pool: pg.Pool,
  ) {}

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM papers');
    return Number(rows[0]?.n ?? 0);
  }

  async get(id: string): Promise<Paper | undefined> {
    const { rows } = await this.pool.query<PaperRow>('SELECT id, data FROM papers WHERE id = $1', [
      normalizePaperId(id),
    ]);
    return rows[0] ? parseRow(rows[0]) : undefined;
  }

  async all(): Promise<Paper[]> {
    const { rows } = await this.pool.query<PaperRow>('SELECT id, data FROM papers ORDER BY id COLLATE "C"');
    return rows.map(parseRow);
  }

  async contentHashes(): Promise<Map<string, string>> {
    const { rows } = await this.pool.query<{ id: string; content_hash: string }>(
      'SELECT id, content_hash FROM papers',
    );
    return new Map(rows.map((row) => [row.id, row.content_hash]));
  }

  async papersBetween(fromDay: string, toDay: string): Promise<Paper[]> {
    const { rows } = await this.pool.query<PaperRow>(
      'SELECT id, data FROM papers WHERE daily_date >= $1 AND daily_date <= $2',
      [fromDay, toDay],
    );
    return orderDailyPapers(rows.map(parseRow));
  }

  async newestDay(): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ day: string | null }>(
      'SELECT MAX(daily_date) AS day FROM papers',
    );
    return rows[0]?.day ?? undefined;
  }

  /**
   * One transaction: locks the rows of the given ids (`FOR UPDATE`, so concurrent writers of the
   * same paper merge in turn), plans the merge, writes with `ON CONFLICT (id) DO UPDATE`. A paper
   * first inserted meanwhile by another process is overwritten by the later write, never duplicated.
   */
  async upsert(papers: readonly Paper[], now: Date = new Date()): Promise<StoreChange> {
    const ids = [...new Set(papers.map((paper) => normalizePaperId(paper.id)))];
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<PaperRow>(
        'SELECT id, data FROM papers WHERE id = ANY($1::text[]) FOR UPDATE',
        [ids],
      );
      const stored = new Map(rows.map((row) => [row.id, parseRow(row)]));
      const { change, writes } = planUpsert(papers, stored);
      const timestamp = now.toISOString();
      for (let start = 0; start < writes.length; start += WRITE_BATCH) {
        await writeBatch(client, writes.slice(start, start + WRITE_BATCH), timestamp);
      }
      return change;
    });
  }
}

async function writeBatch(client: pg.PoolClient, papers: Paper[], timestamp: string): Promise<void> {
  const columns = 10;
  const values: unknown[] = [];
  const tuples = papers.map((paper, row) => {
    values.push(
      paper.id,
      paper.title,
      paper.abstract,
      canonicalJson(paper),
      contentHash(paper),
      paper.dailyPapersAt?.slice(0, 10) ?? null,
      paper.upvotes ?? null,
      paper.source ?? null,
      timestamp,
      timestamp,
    );
    const base = row * columns;
    return `(${Array.from({ length: columns }, (_, column) => `$${base + column + 1}`).join(', ')})`;
  });
  await client.query(
    `INSERT INTO papers (id, title, abstract, data, content_hash, daily_date, upvotes, source, first_seen_at, updated_at)
     VALUES ${tuples.join(', ')}
     ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, abstract = EXCLUDED.abstract, data = EXCLUDED.data,
       content_hash = EXCLUDED.content_hash, daily_date = EXCLUDED.daily_date, upvotes = EXCLUDED.upvotes,
       source = EXCLUDED.source, updated_at = EXCLUDED.updated_at`,
    values,
  );
}

function parseRow(row: PaperRow): Paper {
  return parseStoredPaper(row, 'PostgreSQL');
}
