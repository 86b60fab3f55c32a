import type { Paper } from '../corpus/paper.ts';
import { PaperbotError } from '../errors.ts';
import type { SqliteDatabase } from '../storage/database.ts';

/**
 * Reads Daily-Papers days from the `papers` table (written by ingest). Kept small and read-only so
 * the digest engine does not depend on the ingest engineer's store API. Async, so it reads SQLite
 * (`createTrendingPapers`) or PostgreSQL (`src/postgres/trending-papers.ts`); both pass
 * `tests/storage/trending-papers.contract.ts`.
 */
export interface TrendingPapers {
  /** The newest Daily-Papers day `YYYY-MM-DD`, optionally at or before `onOrBefore`; undefined when none. */
  newestDay(onOrBefore?: string): Promise<string | undefined>;
  /** Every paper of the Daily-Papers days from `fromDay` to `toDay` (inclusive), in no particular order. */
  papersBetween(fromDay: string, toDay: string): Promise<Paper[]>;
}

/** A `papers` row as the trending queries select it. */
export interface DailyPaperRow {
  id: string;
  data: string;
  upvotes: number | null;
  /** `daily_date`, `YYYY-MM-DD`. */
  day: string;
}

/**
 * The paper of a row: its JSON, with the day and upvotes of the indexed columns (they are what
 * ingest indexes and refreshes). Throws `DATABASE_CORRUPT` for unreadable JSON.
 */
export function paperOfDailyRow(row: DailyPaperRow): Paper {
  let paper: Paper;
  try {
    paper = JSON.parse(row.data) as Paper;
  } catch (error) {
    throw new PaperbotError('DATABASE_CORRUPT', `Paper ${row.id} has unreadable JSON in papers.data.`, {
      cause: error,
    });
  }
  return {
    ...paper,
    dailyPapersAt: paper.dailyPapersAt?.startsWith(row.day)
      ? paper.dailyPapersAt
      : `${row.day}T00:00:00.000Z`,
    ...(row.upvotes === null ? {} : { upvotes: row.upvotes }),
  };
}

/** The trending queries over the embedded SQLite `papers` table. */
export function createTrendingPapers(database: SqliteDatabase): TrendingPapers {
  const newest = database.prepare<[], { day: string | null }>(
    'SELECT MAX(daily_date) AS day FROM papers WHERE daily_date IS NOT NULL',
  );
  const newestBefore = database.prepare<[string], { day: string | null }>(
    'SELECT MAX(daily_date) AS day FROM papers WHERE daily_date IS NOT NULL AND daily_date <= ?',
  );
  const between = database.prepare<[string, string], DailyPaperRow>(
    'SELECT id, data, upvotes, daily_date AS day FROM papers WHERE daily_date >= ? AND daily_date <= ?',
  );
  return {
    async newestDay(onOrBefore) {
      const row = onOrBefore ? newestBefore.get(onOrBefore) : newest.get();
      return row?.day ?? undefined;
    },
    async papersBetween(fromDay, toDay) {
      return between.all(fromDay, toDay).map(paperOfDailyRow);
    },
  };
}
