import type { SqliteDatabase } from './database.ts';

/**
 * Claims on incoming platform events (a Slack event id, a signed request's signature), shared by
 * every process of a deployment, so an event delivered twice (a retry, a replay, two replicas) is
 * handled once. SQLite (`SqliteEventDedupRepository`) or PostgreSQL
 * (`PostgresEventDedupRepository`); one contract suite (`tests/storage/event-dedup.contract.ts`).
 */
export interface EventDedupRepository {
  /**
   * Claims `key` until `nowMs + ttlMs` (milliseconds since the epoch). Resolves true when this
   * call got the claim (the key was new, or its earlier claim had expired by `nowMs`), false when
   * a live claim exists. Atomic: of concurrent calls for one key, exactly one gets true.
   */
  claim(key: string, nowMs: number, ttlMs: number): Promise<boolean>;
  /** Deletes claims expired by `nowMs`; resolves to how many were deleted. */
  purgeExpired(nowMs: number): Promise<number>;
}

/** Event claims in the embedded SQLite database (`event_claims` table). */
export class SqliteEventDedupRepository implements EventDedupRepository {
  /** `database` may be a function that opens it on first use (the runtime's lazy `paperbot.db`). */
  constructor(private readonly open: SqliteDatabase | (() => SqliteDatabase)) {}

  private get database(): SqliteDatabase {
    return typeof this.open === 'function' ? this.open() : this.open;
  }

  async claim(key: string, nowMs: number, ttlMs: number): Promise<boolean> {
    const result = this.database
      .prepare(
        `INSERT INTO event_claims (claim_key, expires_at) VALUES (?, ?)
         ON CONFLICT (claim_key) DO UPDATE SET expires_at = excluded.expires_at
         WHERE event_claims.expires_at <= ?`,
      )
      .run(key, nowMs + ttlMs, nowMs);
    return result.changes === 1;
  }

  async purgeExpired(nowMs: number): Promise<number> {
    return this.database.prepare('DELETE FROM event_claims WHERE expires_at <= ?').run(nowMs).changes;
  }
}
