import type pg from 'pg';
import { type Clock, systemClock } from '../clock.ts';
import {
  type Bucket,
  type RateDecision,
  type RateLimits,
  type RequestLimiter,
  refill,
  takeFromBoth,
} from '../coordination/rate-limits.ts';
import { describeError } from '../errors.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { inTransaction } from './transaction.ts';

/** Takes between sweeps of buckets idle for a minute (they are full again and carry nothing). */
const SWEEP_EVERY = 500;

/**
 * The per-user and per-channel token buckets in the `rate_limit_buckets` table, shared by every
 * replica. A table rather than rate-limiter-flexible's Postgres store: the all-or-nothing take
 * from two buckets needs both rows locked in one transaction, which its per-key `consume` cannot
 * do, and it adds no dependency. Rows are locked in key order (`channel:` before `user:`), so
 * concurrent takes never deadlock. If the database fails, the request is allowed (and logged):
 * a limit is not worth refusing an answer over.
 */
export class PostgresRateLimiter implements RequestLimiter {
  private takes = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly limits: RateLimits,
    private readonly clock: Clock = systemClock,
    private readonly logger: Logger = silentLogger(),
  ) {}

  async take(userId: string, channelId: string): Promise<RateDecision> {
    try {
      return await this.takeLocked(`user:${userId}`, `channel:${channelId}`);
    } catch (error) {
      this.logger.warn({ err: error }, `rate limit check failed, request allowed: ${describeError(error)}`);
      return { allowed: true };
    }
  }

  private async takeLocked(userKey: string, channelKey: string): Promise<RateDecision> {
    const now = this.clock.now();
    const decision = await inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO rate_limit_buckets (key, tokens, updated_ms) VALUES ($1, $2, $5), ($3, $4, $5)
         ON CONFLICT (key) DO NOTHING`,
        [channelKey, this.limits.channelPerMinute, userKey, this.limits.userPerMinute, now],
      );
      const { rows } = await client.query<{ key: string; tokens: number; updated_ms: string }>(
        'SELECT key, tokens, updated_ms FROM rate_limit_buckets WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE',
        [[channelKey, userKey]],
      );
      const stored = new Map<string, Bucket>(
        rows.map((row) => [row.key, { tokens: Number(row.tokens), updatedAt: Number(row.updated_ms) }]),
      );
      const result = takeFromBoth(
        refill(stored.get(userKey), this.limits.userPerMinute, now),
        refill(stored.get(channelKey), this.limits.channelPerMinute, now),
        this.limits,
      );
      await client.query(
        `UPDATE rate_limit_buckets AS b SET tokens = v.tokens, updated_ms = v.updated_ms
         FROM (VALUES ($1::text, $2::double precision, $5::bigint), ($3::text, $4::double precision, $5::bigint))
           AS v (key, tokens, updated_ms)
         WHERE b.key = v.key`,
        [channelKey, result.channel.tokens, userKey, result.user.tokens, now],
      );
      return result.decision;
    });
    this.takes += 1;
    if (this.takes % SWEEP_EVERY === 0) {
      await this.pool.query('DELETE FROM rate_limit_buckets WHERE updated_ms < $1', [now - 60_000]);
    }
    return decision;
  }
}
