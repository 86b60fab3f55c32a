import type pg from 'pg';
import { attemptingGate, type SpacedGate } from '../coordination/spaced-gate.ts';

/**
 * `SpacedGate` on PostgreSQL (`spaced_gate_passes`), shared by every process on every machine
 * using the database. The check and the record are one upsert timed by the server's
 * `clock_timestamp()`, so machines' clocks never meet and no timestamp goes through a JS `Date`
 * (stamps travel as text, which keeps their microseconds). It holds no session lock and no
 * connection while waiting, so it works through a transaction pooler and a process that dies
 * mid-wait leaves nothing behind.
 */
export function createPostgresSpacedGate(pool: Pick<pg.Pool, 'query'>): SpacedGate {
  return attemptingGate<string>({
    async tryPass(name, spacingMs) {
      const passed = await pool.query<{ passed_at: string }>(
        `INSERT INTO spaced_gate_passes (name, passed_at) VALUES ($1, clock_timestamp())
         ON CONFLICT (name) DO UPDATE SET passed_at = excluded.passed_at
         WHERE spaced_gate_passes.passed_at <= excluded.passed_at - $2::float8 * interval '1 millisecond'
         RETURNING passed_at::text AS passed_at`,
        [name, spacingMs],
      );
      const stamp = passed.rows[0]?.passed_at;
      if (stamp !== undefined) return { stamp };
      const { rows } = await pool.query<{ remaining_ms: number }>(
        `SELECT $2::float8 - extract(epoch FROM clock_timestamp() - passed_at)::float8 * 1000 AS remaining_ms
         FROM spaced_gate_passes WHERE name = $1`,
        [name, spacingMs],
      );
      return { remainingMs: rows[0]?.remaining_ms ?? 0 };
    },
    async restamp(name, stamp) {
      const { rows } = await pool.query<{ passed_at: string }>(
        `UPDATE spaced_gate_passes SET passed_at = greatest(clock_timestamp(), passed_at)
         WHERE name = $1 AND passed_at = $2::timestamptz RETURNING passed_at::text AS passed_at`,
        [name, stamp],
      );
      return rows[0]?.passed_at;
    },
  });
}
