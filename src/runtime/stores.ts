import type pg from 'pg';
import type { RateLimits, RequestLimiter } from '../coordination/rate-limits.ts';
import type { Logger } from '../logger.ts';
import { PostgresRateLimiter } from '../postgres/rate-limiter.ts';
import type { SqliteDatabase } from '../storage/database.ts';
import { RateLimiter } from './rate-limiter.ts';

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
  /**
   * Per-user and per-channel rate limits: in this process's memory on SQLite (one process),
   * in the `rate_limit_buckets` table on PostgreSQL (shared by every replica).
   */
  rateLimiter(limits: RateLimits, logger?: Logger): RequestLimiter;
}

/** The repositories of one backend (the composition point: the only place that picks an implementation). */
export function createStores(backend: StoreBackend): Stores {
  return {
    backend: backend.kind,
    rateLimiter: (limits, logger) =>
      backend.kind === 'postgres'
        ? new PostgresRateLimiter(backend.pool, limits, undefined, logger)
        : new RateLimiter(limits),
  };
}
