import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
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
