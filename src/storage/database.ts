import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { PaperbotError } from '../errors.ts';
import { MIGRATIONS } from './migrations.ts';

export type SqliteDatabase = Database.Database;

/** File name of the embedded database inside the index directory. */
export const DATABASE_FILE = 'paperbot.db';

export function databasePath(indexDir: string): string {
  return join(indexDir, DATABASE_FILE);
}

/**
 * Opens (creating when absent) the SQLite database in WAL mode and applies pending migrations.
 * Safe to call from several processes at once: migrations run in an immediate transaction.
 */
export function openDatabase(path: string): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let database: SqliteDatabase | undefined;
  try {
    database = new Database(path);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    migrate(database);
    return database;
  } catch (error) {
    database?.close();
    throw databaseError(path, error);
  }
}

/** SQLite result codes that mean the file itself is damaged or is not a database. */
const CORRUPT_CODES = /^SQLITE_(NOTADB|CORRUPT)/;

/** A PaperbotError naming the database file, SQLite's code and what to do. */
function databaseError(path: string, error: unknown): PaperbotError {
  const sqliteCode = String((error as { code?: unknown }).code ?? 'unknown');
  const reason = `${(error as Error).message} (${sqliteCode})`;
  if (CORRUPT_CODES.test(sqliteCode)) {
    return new PaperbotError(
      'DATABASE_CORRUPT',
      `Database ${path} is damaged: ${reason}. Restore it from a backup, or move it aside ` +
        `(mv ${path} ${path}.damaged, with any -wal and -shm files beside it) and run \`npx paperbot index build\`: ` +
        'a new database is seeded from the bundled corpus and the papers the index holds, but papers only in the damaged ' +
        'database must be ingested again.',
      { cause: error },
    );
  }
  return new PaperbotError(
    'DATABASE_OPEN_FAILED',
    `Cannot open database ${path}: ${reason}. Check that the directory exists and is writable, and that no other program holds the file.`,
    { cause: error },
  );
}

function migrate(database: SqliteDatabase): void {
  database
    .transaction(() => {
      const current = database.pragma('user_version', { simple: true }) as number;
      for (let version = current; version < MIGRATIONS.length; version++) {
        database.exec(MIGRATIONS[version]!);
      }
      if (current < MIGRATIONS.length) database.pragma(`user_version = ${MIGRATIONS.length}`);
    })
    .immediate();
}
