import type pg from 'pg';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import type { RateLimits, RequestLimiter } from '../coordination/rate-limits.ts';
import type { SpacedGate } from '../coordination/spaced-gate.ts';
import { createSqliteSpacedGate } from '../coordination/sqlite-spaced-gate.ts';
import { type FeedbackRepository, SqliteFeedbackRepository } from '../feedback/feedback-repository.ts';
import type { Logger } from '../logger.ts';
import { createPostgresDigestLedger } from '../postgres/digest-ledger.ts';
import { PostgresEventDedupRepository } from '../postgres/event-dedup-repository.ts';
import { PostgresFeedbackRepository } from '../postgres/feedback-repository.ts';
import { PostgresInstallationRepository } from '../postgres/installation-repository.ts';
import { PostgresRateLimiter } from '../postgres/rate-limiter.ts';
import { createPostgresSpacedGate } from '../postgres/spaced-gate.ts';
import { PostgresSubscriptionRepository } from '../postgres/subscription-repository.ts';
import { createPostgresTrendingPapers } from '../postgres/trending-papers.ts';
import type { SqliteDatabase } from '../storage/database.ts';
import { type EventDedupRepository, SqliteEventDedupRepository } from '../storage/event-dedup-repository.ts';
import {
  type InstallationRepository,
  SqliteInstallationRepository,
} from '../storage/installation-repository.ts';
import { createDigestLedger, type DigestLedger } from '../trending/digest-ledger.ts';
import { SqliteSubscriptionRepository } from '../trending/sqlite-subscriptions.ts';
import type { SubscriptionRepository } from '../trending/subscriptions.ts';
import { createTrendingPapers, type TrendingPapers } from '../trending/trending-papers.ts';
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
   * Named "one at a time, at least N ms apart" gates shared by every process on the store (the
   * Discord adapter's identify throttler across shard processes).
   */
  readonly spacedGate: SpacedGate;
  /** Digest subscriptions made with `/subscribe` in Slack and Discord. */
  readonly subscriptions: SubscriptionRepository;
  /** 👍/👎 on answers. */
  readonly feedback: FeedbackRepository;
  /** Slack installations (OAuth, one per workspace) with their tokens. */
  readonly installations: InstallationRepository;
  /** Claims on incoming Slack events and signed requests, so a duplicate is handled once. */
  readonly eventDedup: EventDedupRepository;
  /** The exactly-once gate of digests (claims, take-overs, what was posted where). */
  readonly digestLedger: DigestLedger;
  /** The Daily-Papers days of the `papers` table, for trending digests. */
  readonly trendingPapers: TrendingPapers;
  /**
   * Per-user and per-channel rate limits: in this process's memory on SQLite (one process),
   * in the `rate_limit_buckets` table on PostgreSQL (shared by every replica).
   */
  rateLimiter(limits: RateLimits, logger?: Logger): RequestLimiter;
}

/** Options of `createStores`. */
export interface StoresOptions {
  /** Time of ledger claims and of their staleness (default: the system clock). */
  clock?: Clock;
}

/**
 * The repositories of one backend (the composition point: the only place that picks an
 * implementation). SQLite repositories open the database file on first use.
 */
export function createStores(backend: StoreBackend, options: StoresOptions = {}): Stores {
  const clock = options.clock ?? systemClock;
  if (backend.kind === 'postgres') {
    return {
      backend: backend.kind,
      spacedGate: createPostgresSpacedGate(backend.pool),
      subscriptions: new PostgresSubscriptionRepository(backend.pool),
      feedback: new PostgresFeedbackRepository(backend.pool),
      installations: new PostgresInstallationRepository(backend.pool),
      eventDedup: new PostgresEventDedupRepository(backend.pool),
      digestLedger: createPostgresDigestLedger(backend.pool, { clock }),
      trendingPapers: createPostgresTrendingPapers(backend.pool),
      rateLimiter: (limits, logger) => new PostgresRateLimiter(backend.pool, limits, undefined, logger),
    };
  }
  // Made on first use, and again after the runtime reopens the database file.
  const onDatabase = <T>(make: (database: SqliteDatabase) => T): (() => T) => {
    let made: { database: SqliteDatabase; repository: T } | undefined;
    return () => {
      const database = backend.database();
      if (made?.database !== database) made = { database, repository: make(database) };
      return made.repository;
    };
  };
  const subscriptions = onDatabase((database) => new SqliteSubscriptionRepository(database));
  const feedback = onDatabase((database) => new SqliteFeedbackRepository(database));
  const ledger = onDatabase((database) => createDigestLedger(database, { clock }));
  const papers = onDatabase((database) => createTrendingPapers(database));
  return {
    backend: backend.kind,
    spacedGate: createSqliteSpacedGate(backend.database),
    installations: new SqliteInstallationRepository(backend.database),
    eventDedup: new SqliteEventDedupRepository(backend.database),
    rateLimiter: (limits) => new RateLimiter(limits, clock),
    get subscriptions() {
      return subscriptions();
    },
    get feedback() {
      return feedback();
    },
    get digestLedger() {
      return ledger();
    },
    get trendingPapers() {
      return papers();
    },
  };
}
