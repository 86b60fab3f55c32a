import type pg from 'pg';
import type { EventDedupRepository } from '../storage/event-dedup-repository.ts';

/** Event claims in PostgreSQL (`event_claims` table): one claim per key across every replica. */
export class PostgresEventDedupRepository implements EventDedupRepository {
  constructor(private readonly pool: pg.Pool) {}

  async claim(key: string, nowMs: number, ttlMs: number): Promise<boolean> {
    // ON CONFLICT ... WHERE: a concurrent claimer waits for the winner's row, then finds it live.
    const result = await this.pool.query(
      `INSERT INTO event_claims (claim_key, expires_at) VALUES ($1, $2)
       ON CONFLICT (claim_key) DO UPDATE SET expires_at = EXCLUDED.expires_at
       WHERE event_claims.expires_at <= $3`,
      [key, nowMs + ttlMs, nowMs],
    );
    return result.rowCount === 1;
  }

  async purgeExpired(nowMs: number): Promise<number> {
    const result = await this.pool.query('DELETE FROM event_claims WHERE expires_at <= $1', [nowMs]);
    return result.rowCount ?? 0;
  }
}
