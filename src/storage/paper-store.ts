import { normalizePaperId, type Paper } from '../corpus/paper.ts';
import { PaperbotError } from '../errors.ts';
import { contentHash } from './content-hash.ts';
import type { SqliteDatabase } from './database.ts';

/** What an upsert changed (or, for `plan`, would change). */
export interface StoreChange {
  /** Ids not in the store before. */
  added: string[];
  /** Ids already stored whose fields changed (upvotes, links, abstract...). */
  updated: string[];
  /** Of `updated`, the ids whose title or abstract changed, so their vectors are stale. */
  contentChanged: string[];
  /** Papers already stored exactly as given. */
  unchanged: number;
}

interface PaperRow {
  id: string;
  data: string;
  content_hash: string;
}

/** JSON with sorted keys, so two equal papers always serialise alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) =>
    field && typeof field === 'object' && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field).sort(([left], [right]) => left.localeCompare(right)))
      : field,
  );
}

/**
 * A paper seen again: the new record's fields win (fresh upvotes, stars, summaries), fields it
 * lacks keep their stored value (an arXiv record does not erase Hugging Face upvotes), links
 * merge, and the first source is kept.
 */
export function mergePaper(existing: Paper, incoming: Paper): Paper {
  const defined = Object.fromEntries(Object.entries(incoming).filter(([, value]) => value !== undefined));
  const merged: Paper = { ...existing, ...defined, id: existing.id };
  if (existing.links || incoming.links) merged.links = { ...existing.links, ...incoming.links };
  if (existing.source) merged.source = existing.source;
  return merged;
}

/**
 * The `papers` table: the source of truth for the corpus (bundled and ingested); the HNSW index
 * is derived from it. Each paper is stored once, by arXiv id without version. The columns
 * `daily_date` (YYYY-MM-DD of `dailyPapersAt`) and `upvotes` mirror the JSON in `data` so the
 * trending digest can query them.
 */
export class PaperStore {
  constructor(private readonly database: SqliteDatabase) {}

  /** Number of stored papers. */
  count(): number {
    return (this.database.prepare('SELECT COUNT(*) AS n FROM papers').get() as { n: number }).n;
  }

  /** One paper by id (a version suffix is ignored), or undefined. */
  get(id: string): Paper | undefined {
    const row = this.database
      .prepare<[string], PaperRow>('SELECT id, data, content_hash FROM papers WHERE id = ?')
      .get(normalizePaperId(id));
    return row ? parseRow(row) : undefined;
  }

  /** Every stored paper, ordered by id. */
  all(): Paper[] {
    return this.database
      .prepare<[], PaperRow>('SELECT id, data, content_hash FROM papers ORDER BY id')
      .all()
      .map(parseRow);
  }

  /** id -> content hash (of title and abstract) of every stored paper. */
  contentHashes(): Map<string, string> {
    const rows = this.database
      .prepare<[], { id: string; content_hash: string }>('SELECT id, content_hash FROM papers')
      .all();
    return new Map(rows.map((row) => [row.id, row.content_hash]));
  }

  /** The newest Daily-Papers day in the store (`YYYY-MM-DD`), or undefined when there is none. */
  newestDay(): string | undefined {
    const row = this.database
      .prepare<[], { day: string | null }>('SELECT MAX(daily_date) AS day FROM papers')
      .get();
    return row?.day ?? undefined;
  }

  /** Deletes papers by id (versions ignored); returns how many rows were deleted. */
  remove(ids: readonly string[]): number {
    const statement = this.database.prepare('DELETE FROM papers WHERE id = ?');
    return this.database.transaction(() =>
      ids.reduce((removed, id) => removed + statement.run(normalizePaperId(id)).changes, 0),
    )();
  }

  /** What `upsert(papers)` would change, without writing. */
  plan(papers: readonly Paper[], fallback?: (id: string) => Paper | undefined): StoreChange {
    return this.classify(papers, fallback).change;
  }

  /**
   * Inserts new papers and merges re-seen ones (see `mergePaper`) in one transaction: all or
   * nothing. Ids are normalised (versions stripped); a paper given twice is merged, not duplicated.
   */
  upsert(papers: readonly Paper[], now: Date = new Date()): StoreChange {
    const timestamp = now.toISOString();
    const insert = this.database.prepare(
      `INSERT INTO papers (id, title, abstract, data, content_hash, daily_date, upvotes, source, first_seen_at, updated_at)
       VALUES (@id, @title, @abstract, @data, @hash, @day, @upvotes, @source, @now, @now)
       ON CONFLICT(id) DO UPDATE SET title = @title, abstract = @abstract, data = @data,
         content_hash = @hash, daily_date = @day, upvotes = @upvotes, source = @source, updated_at = @now`,
    );
    return this.database
      .transaction(() => {
        const { change, writes } = this.classify(papers);
        for (const paper of writes) {
          insert.run({
            id: paper.id,
            title: paper.title,
            abstract: paper.abstract,
            data: canonicalJson(paper),
            hash: contentHash(paper),
            day: paper.dailyPapersAt?.slice(0, 10) ?? null,
            upvotes: paper.upvotes ?? null,
            source: paper.source ?? null,
            now: timestamp,
          });
        }
        return change;
      })
      .immediate();
  }

  private classify(
    papers: readonly Paper[],
    fallback?: (id: string) => Paper | undefined,
  ): { change: StoreChange; writes: Paper[] } {
    const change: StoreChange = { added: [], updated: [], contentChanged: [], unchanged: 0 };
    const pending = new Map<string, Paper>();
    const isNew = new Set<string>();
    for (const raw of papers) {
      const incoming = { ...raw, id: normalizePaperId(raw.id) };
      const base = pending.get(incoming.id) ?? this.get(incoming.id) ?? fallback?.(incoming.id);
      if (!base) isNew.add(incoming.id);
      pending.set(incoming.id, base ? mergePaper(base, incoming) : incoming);
    }
    const writes: Paper[] = [];
    for (const [id, paper] of pending) {
      if (isNew.has(id)) {
        change.added.push(id);
        writes.push(paper);
        continue;
      }
      const stored = this.get(id) ?? fallback?.(id);
      if (stored && canonicalJson(stored) === canonicalJson(paper)) {
        change.unchanged++;
        continue;
      }
      change.updated.push(id);
      if (!stored || contentHash(stored) !== contentHash(paper)) change.contentChanged.push(id);
      writes.push(paper);
    }
    return { change, writes };
  }
}

/** A stored `papers.data` value read back; a row that does not parse is DATABASE_CORRUPT (with where). */
export function parseStoredPaper(row: { id: string; data: string }, where = 'SQLite'): Paper {
  try {
    return JSON.parse(row.data) as Paper;
  } catch (error) {
    throw new PaperbotError(
      'DATABASE_CORRUPT',
      `Paper ${row.id} has unreadable JSON in papers.data (${where}). Re-ingest it or delete the row.`,
      { cause: error },
    );
  }
}

function parseRow(row: PaperRow): Paper {
  return parseStoredPaper(row);
}
