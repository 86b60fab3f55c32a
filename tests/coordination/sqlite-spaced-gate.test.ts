import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSqliteSpacedGate } from '../../src/coordination/sqlite-spaced-gate.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { spacedGateContract } from './spaced-gate.contract.ts';

describe('SQLite spaced gate', () => {
  spacedGateContract(async () => {
    const directory = mkdtempSync(join(tmpdir(), 'paperbot-gate-'));
    // Two connections to one file, as two processes on this machine would have.
    const first = openDatabase(join(directory, 'paperbot.db'));
    const second = openDatabase(join(directory, 'paperbot.db'));
    return {
      gate: createSqliteSpacedGate(() => first),
      other: createSqliteSpacedGate(() => second),
      async close() {
        first.close();
        second.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  });
});

describe('SQLite spaced gate, a pass whose write stalls', () => {
  it('counts the spacing from when the pass was granted, so the next pass cannot come early', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'paperbot-gate-'));
    const database = openDatabase(join(directory, 'paperbot.db'));
    try {
      // The clock reads 0 when the pass is asked for and 400 once its write has returned, as when
      // a checkpoint's fsync or a descheduled process holds the write up for 400 ms.
      let reads = 0;
      const gate = createSqliteSpacedGate(
        () => database,
        () => (reads++ === 0 ? 0 : 400),
      );
      await gate.pass('stalled', 300);
      const row = database
        .prepare('SELECT passed_at_ms FROM spaced_gate_passes WHERE name = ?')
        .get('stalled') as {
        passed_at_ms: number;
      };
      expect(row.passed_at_ms).toBe(400);
    } finally {
      database.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
