import type pg from 'pg';
import { PostgresEventDedupRepository } from '../postgres/event-dedup-repository.ts';
import { PostgresInstallationRepository } from '../postgres/installation-repository.ts';
import type { SqliteDatabase } from '../storage/database.ts';
import { type EventDedupRepository, SqliteEventDedupRepository } from '../storage/event-dedup-repository.ts';
import {
  type InstallationRepository,
  SqliteInstallationRepository,
} from '../storage/installation-repository.ts';

/** Where a deployment's shared state lives: the embedded SQLite file, or PostgreSQL (`DATABASE_URL`). */
export type StoreBackend =
  | {
      kind: 'sqlite';
      /** Opens `paperbot.db` in the index directory on first use. */
      database: () => SqliteDatabase;
    }
  | {
      kind: 'postgres';
      /** The process's pool on `DATABASE_URL` (migrated; closed by the runtime). */
      pool: pg.Pool;
    };

/**
 * The repositories of a deployment's shared state, on the configured backend: SQLite under
 * `PAPERBOT_INDEX_DIR` by default, PostgreSQL when `DATABASE_URL` is set. Adapters, the digest
 * runner and the CLI read and write through these, never with SQL of their own; each repository
 * has one implementation per backend behind one contract test suite.
 */
export interface Stores {
  /** Which backend the repositories run on. */
  readonly backend: StoreBackend['kind'];
  /** Slack installations (OAuth, one per workspace) with their tokens. */
  readonly installations: InstallationRepository;
  /** Claims on incoming Slack events and signed requests, so a duplicate is handled once. */
  readonly eventDedup: EventDedupRepository;
}

/** The repositories of one backend (the composition point: the only place that picks an implementation). */
export function createStores(backend: StoreBackend): Stores {
  const installations: InstallationRepository =
    backend.kind === 'postgres'
      ? new PostgresInstallationRepository(backend.pool)
      : new SqliteInstallationRepository(backend.database);
  const eventDedup: EventDedupRepository =
    backend.kind === 'postgres'
      ? new PostgresEventDedupRepository(backend.pool)
      : new SqliteEventDedupRepository(backend.database);
  return { backend: backend.kind, installations, eventDedup };
}
