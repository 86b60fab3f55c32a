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
  let database: SqliteDatabase;
  try {
    database = new Database(path);
  } catch (error) {
    throw new PaperbotError(
      'DATABASE_OPEN_FAILED',
      `Cannot open database ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  migrate(database);
  return database;
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
