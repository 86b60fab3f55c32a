import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/runtime/rate-limiter.ts';
import { ManualClock } from '../fakes/manual-clock.ts';

describe('RateLimiter', () => {
  it('allows a burst of perMinute requests per user, then refills continuously', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ userPerMinute: 2, channelPerMinute: 100 }, clock);
    expect(limiter.take('U1', 'C1').allowed).toBe(true);
    expect(limiter.take('U1', 'C1').allowed).toBe(true);
    expect(limiter.take('U1', 'C1')).toEqual({ allowed: false, scope: 'user', retryAfterMs: 30_000 });
    expect(limiter.take('U2', 'C1').allowed).toBe(true);
    await clock.advanceBy(30_000);
    expect(limiter.take('U1', 'C1').allowed).toBe(true);
    expect(limiter.take('U1', 'C1').allowed).toBe(false);
  });

  it('limits a channel across users and charges nothing when refused', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ userPerMinute: 5, channelPerMinute: 2 }, clock);
    expect(limiter.take('U1', 'C1').allowed).toBe(true);
    expect(limiter.take('U2', 'C1').allowed).toBe(true);
    expect(limiter.take('U3', 'C1')).toMatchObject({ allowed: false, scope: 'channel' });
    expect(limiter.take('U3', 'C2').allowed).toBe(true);
    await clock.advanceBy(30_000);
    expect(limiter.take('U3', 'C1').allowed).toBe(true);
  });
});
