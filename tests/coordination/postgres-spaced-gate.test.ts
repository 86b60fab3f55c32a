import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { expect, it } from 'vitest';
import { openPostgres } from '../../src/postgres/connection.ts';
import { createPostgresSpacedGate } from '../../src/postgres/spaced-gate.ts';
import { describePostgres } from '../helpers/postgres.ts';
import { spacedGateContract } from './spaced-gate.contract.ts';

/** `pool`, except that the reply to its first `UPDATE spaced_gate_passes` reaches the caller `delayMs` late. */
function slowFirstRestamp(pool: pg.Pool, delayMs: number): Pick<pg.Pool, 'query'> {
  let delayed = false;
  const query = async (text: string, values?: unknown[]) => {
    const result = await pool.query(text, values);
    if (!delayed && /^\s*UPDATE spaced_gate_passes/.test(text)) {
      delayed = true;
      await sleep(delayMs);
    }
    return result;
  };
  return { query } as unknown as Pick<pg.Pool, 'query'>;
}

describePostgres('PostgreSQL spaced gate', (databaseUrl) => {
  spacedGateContract(async () => {
    // Two pools, as two processes would have; each test starts from an empty table.
    const first = await openPostgres(databaseUrl());
    const second = await openPostgres(databaseUrl());
    await first.query('DELETE FROM spaced_gate_passes');
    return {
      gate: createPostgresSpacedGate(first),
      other: createPostgresSpacedGate(second),
      async close() {
        await first.end();
        await second.end();
      },
    };
  });

  it('does not let a pass whose reply came late go on beside a pass of another process', async () => {
    // The first pass's re-stamp is recorded at once but reaches its caller 400 ms later, as a
    // starved backend or a stalled commit makes it; meanwhile the other process passes.
    const first = await openPostgres(databaseUrl());
    const second = await openPostgres(databaseUrl());
    try {
      await first.query('DELETE FROM spaced_gate_passes');
      const slow = createPostgresSpacedGate(slowFirstRestamp(first, 400));
      const quick = createPostgresSpacedGate(second);
      const started = Date.now();
      const [slowAt, quickAt] = await Promise.all([
        slow.pass('bucket-0', 300).then(() => Date.now() - started),
        sleep(20).then(async () => {
          await quick.pass('bucket-0', 300);
          return Date.now() - started;
        }),
      ]);
      expect(Math.abs(slowAt - quickAt)).toBeGreaterThanOrEqual(300 * 0.9);
    } finally {
      await first.end();
      await second.end();
    }
  });
});
