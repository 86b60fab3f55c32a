import { expect, it } from 'vitest';
import type { Clock } from '../../src/clock.ts';
import type { RateLimits, RequestLimiter } from '../../src/runtime/rate-limiter.ts';
import { ManualClock } from '../fakes/manual-clock.ts';

/** Makes a fresh limiter (empty buckets) on the clock given; several calls share one store. */
export type LimiterFactory = (limits: RateLimits, clock: Clock) => Promise<RequestLimiter>;

/** The behaviour every `RequestLimiter` has, in memory or in a shared store. */
export function rateLimiterContract(make: LimiterFactory): void {
  it('allows a burst of perMinute requests per user, then refills continuously', async () => {
    const clock = new ManualClock(1_000_000);
    const limiter = await make({ userPerMinute: 2, channelPerMinute: 100 }, clock);
    expect((await limiter.take('U1', 'C1')).allowed).toBe(true);
    expect((await limiter.take('U1', 'C1')).allowed).toBe(true);
    expect(await limiter.take('U1', 'C1')).toEqual({ allowed: false, scope: 'user', retryAfterMs: 30_000 });
    expect((await limiter.take('U2', 'C1')).allowed).toBe(true);
    await clock.advanceBy(30_000);
    expect((await limiter.take('U1', 'C1')).allowed).toBe(true);
    expect((await limiter.take('U1', 'C1')).allowed).toBe(false);
  });

  it('limits a channel across users and charges nothing when refused', async () => {
    const clock = new ManualClock(1_000_000);
    const limiter = await make({ userPerMinute: 5, channelPerMinute: 2 }, clock);
    expect((await limiter.take('U1', 'C1')).allowed).toBe(true);
    expect((await limiter.take('U2', 'C1')).allowed).toBe(true);
    expect(await limiter.take('U3', 'C1')).toMatchObject({ allowed: false, scope: 'channel' });
    expect((await limiter.take('U3', 'C2')).allowed).toBe(true);
    await clock.advanceBy(30_000);
    expect((await limiter.take('U3', 'C1')).allowed).toBe(true);
    // U3 paid nothing for the refused take: 4 left after C2 and the refill back to 5, then C1.
    for (let n = 0; n < 4; n++) expect((await limiter.take('U3', `C${10 + n}`)).allowed).toBe(true);
    expect(await limiter.take('U3', 'C20')).toMatchObject({ allowed: false, scope: 'user' });
  });
}
