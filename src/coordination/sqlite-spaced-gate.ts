import type { SqliteDatabase } from '../storage/database.ts';
import { attemptingGate, type SpacedGate } from './spaced-gate.ts';

/**
 * `SpacedGate` on the embedded SQLite database (`spaced_gate_passes`): shared by every process on
 * this machine that opens the same index directory. Times are this machine's wall clock in ms.
 *
 * @param database opens the database on first use (the runtime's lazy `database()`).
 * @param now the clock, in ms since the epoch (default `Date.now`).
 */
export function createSqliteSpacedGate(
  database: () => SqliteDatabase,
  now: () => number = Date.now,
): SpacedGate {
  return attemptingGate<number>({
    async tryPass(name, spacingMs) {
      const db = database();
      const at = now();
      // One statement, so SQLite's write lock makes the check and the record atomic across processes.
      const passed = db
        .prepare(
          `INSERT INTO spaced_gate_passes (name, passed_at_ms) VALUES (?, ?)
           ON CONFLICT (name) DO UPDATE SET passed_at_ms = excluded.passed_at_ms
           WHERE spaced_gate_passes.passed_at_ms <= excluded.passed_at_ms - ?`,
        )
        .run(name, at, spacingMs);
      if (passed.changes > 0) return { stamp: at };
      const row = db.prepare('SELECT passed_at_ms FROM spaced_gate_passes WHERE name = ?').get(name) as
        | { passed_at_ms: number }
        | undefined;
      return { remainingMs: row ? row.passed_at_ms + spacingMs - now() : 0 };
    },
    async restamp(name, stamp) {
      // The clock is read before the write, so a write that stalls (a checkpoint's fsync, a
      // descheduled process) shows as a slow re-stamp and is re-stamped again.
      const at = Math.max(now(), stamp);
      const moved = database()
        .prepare('UPDATE spaced_gate_passes SET passed_at_ms = ? WHERE name = ? AND passed_at_ms = ?')
        .run(at, name, stamp);
      return moved.changes > 0 ? at : undefined;
    },
  });
}
