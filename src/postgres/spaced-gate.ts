import type pg from 'pg';
import { attemptingGate, type SpacedGate } from '../coordination/spaced-gate.ts';

/**
 * `SpacedGate` on PostgreSQL (`spaced_gate_passes`), shared by every process on every machine
 * using the database. The check and the record are one upsert timed by the server's
 * `clock_timestamp()`, so machines' clocks never meet and no timestamp goes through a JS `Date`.
 * It holds no session lock and no connection while waiting, so it works through a transaction
 * pooler and a process that dies mid-wait leaves nothing behind.
 */
export function createPostgresSpacedGate(pool: pg.Pool): SpacedGate {
  return attemptingGate(async (name, spacingMs) => {
    const passed = await pool.query<{ passed_at: string }>(
      `INSERT INTO spaced_gate_passes (name, passed_at) VALUES ($1, clock_timestamp())
       ON CONFLICT (name) DO UPDATE SET passed_at = excluded.passed_at
       WHERE spaced_gate_passes.passed_at <= excluded.passed_at - $2::float8 * interval '1 millisecond'
       RETURNING passed_at::text AS passed_at`,
      [name, spacingMs],
    );
    const stamped = passed.rows[0]?.passed_at;
    if (stamped !== undefined) {
      // The pass counts from when this process learns it was granted, not from when the server
      // recorded it: a reply that is slow to arrive or be read would otherwise let the next pass in
      // less than the spacing after this caller goes on. Only our own record is moved (the stamp
      // goes through as text, which keeps its microseconds).
      await pool.query(
        `UPDATE spaced_gate_passes SET passed_at = clock_timestamp() WHERE name = $1 AND passed_at = $2::timestamptz`,
        [name, stamped],
      );
      return 0;
    }
    const { rows } = await pool.query<{ remaining_ms: number }>(
      `SELECT $2::float8 - extract(epoch FROM clock_timestamp() - passed_at)::float8 * 1000 AS remaining_ms
       FROM spaced_gate_passes WHERE name = $1`,
      [name, spacingMs],
    );
    return rows[0]?.remaining_ms ?? 0;
  });
}
