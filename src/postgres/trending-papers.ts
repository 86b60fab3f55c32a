import type pg from 'pg';
import { type DailyPaperRow, paperOfDailyRow, type TrendingPapers } from '../trending/trending-papers.ts';

/** The trending queries over the PostgreSQL `papers` table (the same columns as SQLite's). */
export function createPostgresTrendingPapers(pool: pg.Pool): TrendingPapers {
  return {
    async newestDay(onOrBefore) {
      const { rows } = onOrBefore
        ? await pool.query<{ day: string | null }>(
            'SELECT MAX(daily_date) AS day FROM papers WHERE daily_date IS NOT NULL AND daily_date <= $1',
            [onOrBefore],
          )
        : await pool.query<{ day: string | null }>(
            'SELECT MAX(daily_date) AS day FROM papers WHERE daily_date IS NOT NULL',
          );
      return rows[0]?.day ?? undefined;
    },
    async papersBetween(fromDay, toDay) {
      const { rows } = await pool.query<DailyPaperRow>(
        'SELECT id, data, upvotes, daily_date AS day FROM papers WHERE daily_date >= $1 AND daily_date <= $2',
        [fromDay, toDay],
      );
      return rows.map(paperOfDailyRow);
    },
  };
}
