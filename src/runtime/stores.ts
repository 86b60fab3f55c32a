import type pg from 'pg';
import { type Clock, systemClock } from '../clock.ts';
import { createPostgresDigestLedger } from '../postgres/digest-ledger.ts';
import { createPostgresTrendingPapers } from '../postgres/trending-papers.ts';
import type { SqliteDatabase } from '../storage/database.ts';
import { createDigestLedger, type DigestLedger } from '../trending/digest-ledger.ts';
import { createTrendingPapers, type TrendingPapers } from '../trending/trending-papers.ts';

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
  /** The exactly-once gate of digests (claims, take-overs, what was posted where). */
  readonly digestLedger: DigestLedger;
  /** The Daily-Papers days of the `papers` table, for trending digests. */
  readonly trendingPapers: TrendingPapers;
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
      digestLedger: createPostgresDigestLedger(backend.pool, { clock }),
      trendingPapers: createPostgresTrendingPapers(backend.pool),
    };
  }
  let ledger: DigestLedger | undefined;
  let papers: TrendingPapers | undefined;
  return {
    backend: backend.kind,
    get digestLedger() {
      ledger ??= createDigestLedger(backend.database(), { clock });
      return ledger;
    },
    get trendingPapers() {
      papers ??= createTrendingPapers(backend.database());
      return papers;
    },
  };
}
