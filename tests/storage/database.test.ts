import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaperbotError } from '../../src/errors.ts';
import { openDatabase } from '../../src/storage/database.ts';

describe('openDatabase on a damaged file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paperbot-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names the path, the SQLite code and the fix', () => {
    const path = join(dir, 'paperbot.db');
    writeFileSync(
      path,
      'this is not a database, just text that is long enough to have a header page'.repeat(20),
    );
    let error: unknown;
    try {
      openDatabase(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PaperbotError);
    expect((error as PaperbotError).code).toBe('DATABASE_CORRUPT');
    const message = (error as PaperbotError).message;
    expect(message).toContain(path);
    expect(message).toContain('SQLITE_NOTADB');
    expect(message).toMatch(/Restore it from a backup, or move it aside \(mv .*paperbot index build/);
  });
});
