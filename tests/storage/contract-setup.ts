import { afterEach, beforeEach } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.ts';

/** An empty repository and how to dispose of it. */
export interface OpenedRepository<Repository> {
  repository: Repository;
  close(): Promise<void>;
}

/**
 * Opens a fresh store before each test of the enclosing describe, hands it to `use`, and closes
 * it after the test: the setup every storage contract shares.
 */
export function openForEachTest<Opened extends { close(): Promise<void> }>(
  open: () => Promise<Opened>,
  use: (opened: Opened) => void,
): void {
  let opened: Opened | undefined;
  beforeEach(async () => {
    opened = await open();
    use(opened);
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
}

/** How a contract opens the repository that `build` makes on a new in-memory SQLite database. */
export function inMemorySqlite<Repository>(
  build: (database: SqliteDatabase) => Repository,
): () => Promise<OpenedRepository<Repository>> {
  return async () => {
    const database = openDatabase(':memory:');
    return { repository: build(database), close: async () => void database.close() };
  };
}
