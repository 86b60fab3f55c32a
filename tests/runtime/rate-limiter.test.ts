import { describe, expect, it } from 'vitest';
import { openPostgres, type PostgresPool } from '../../src/postgres/connection.ts';
import { PostgresRateLimiter } from '../../src/postgres/rate-limiter.ts';
import { RateLimiter } from '../../src/runtime/rate-limiter.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { describePostgres } from '../helpers/postgres.ts';
import { rateLimiterContract } from './rate-limiter.contract.ts';

describe('RateLimiter (in memory)', () => {
  rateLimiterContract(async (limits, clock) => new RateLimiter(limits, clock));
});

describePostgres('PostgresRateLimiter (shared by replicas)', (databaseUrl) => {
  let pool: PostgresPool | undefined;
  const open = async () => {
    pool ??= await openPostgres(databaseUrl());
    await pool.query('TRUNCATE rate_limit_buckets');
    return pool;
  };
  rateLimiterContract(async (limits, clock) => new PostgresRateLimiter(await open(), limits, clock));

  it('two replicas share one bucket: 40 concurrent takes of 10 tokens allow exactly 10', async () => {
    const shared = await open();
    const other = await openPostgres(databaseUrl());
    try {
      const clock = new ManualClock(5_000_000);
      const limits = { userPerMinute: 10, channelPerMinute: 1_000 };
      const replicas = [
        new PostgresRateLimiter(shared, limits, clock),
        new PostgresRateLimiter(other, limits, clock),
      ];
      const decisions = await Promise.all(
        Array.from({ length: 40 }, (_, n) => replicas[n % 2]!.take('U1', `C${n}`)),
      );
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
    } finally {
      await other.end();
      await pool?.end();
      pool = undefined;
    }
  });
});
