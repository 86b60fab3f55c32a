import { type Clock, systemClock } from '../clock.ts';

/** Per-minute allowances for questions from one user and in one channel. */
export interface RateLimits {
  /** Requests a user may make per minute (bucket size and refill rate). */
  userPerMinute: number;
  /** Requests a channel may see per minute. */
  channelPerMinute: number;
}

/** The outcome of `RateLimiter.take`. */
export type RateDecision =
  | { allowed: true }
  | { allowed: false; retryAfterMs: number; scope: 'user' | 'channel' };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets per user and per channel: each holds `perMinute` tokens and refills continuously.
 * A request takes one token from both buckets, or from neither when either is empty.
 * Kept over `rate-limiter-flexible`: limits are per process today and the two-bucket all-or-nothing
 * take is a few lines; with shared replicas, move to its Postgres/Redis limiter.
 */
export class RateLimiter {
  private readonly users = new Map<string, Bucket>();
  private readonly channels = new Map<string, Bucket>();

  constructor(
    private readonly limits: RateLimits,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Takes a token for `userId` in `channelId` when both buckets have one. */
  take(userId: string, channelId: string): RateDecision {
    const now = this.clock.now();
    const user = this.refill(this.users, userId, this.limits.userPerMinute, now);
    const channel = this.refill(this.channels, channelId, this.limits.channelPerMinute, now);
    if (user.tokens < 1)
      return { allowed: false, scope: 'user', retryAfterMs: this.wait(user, this.limits.userPerMinute) };
    if (channel.tokens < 1) {
      return {
        allowed: false,
        scope: 'channel',
        retryAfterMs: this.wait(channel, this.limits.channelPerMinute),
      };
    }
    user.tokens -= 1;
    channel.tokens -= 1;
    return { allowed: true };
  }

  private refill(buckets: Map<string, Bucket>, key: string, perMinute: number, now: number): Bucket {
    const bucket = buckets.get(key) ?? { tokens: perMinute, updatedAt: now };
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(perMinute, bucket.tokens + (elapsed * perMinute) / 60_000);
    bucket.updatedAt = now;
    buckets.set(key, bucket);
    // A bucket untouched for a minute is full again and carries no information: drop such buckets.
    if (buckets.size > 10_000) {
      for (const [other, entry] of buckets)
        if (now - entry.updatedAt >= 60_000 && other !== key) buckets.delete(other);
    }
    return bucket;
  }

  private wait(bucket: Bucket, perMinute: number): number {
    return Math.ceil(((1 - bucket.tokens) * 60_000) / perMinute);
  }
}

/** The polite answer to a request over the limit (plain text; adapters format it). */
export function rateLimitMessage(decision: Extract<RateDecision, { allowed: false }>): string {
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  const who = decision.scope === 'user' ? 'You are asking' : 'This channel is asking';
  return `${who} faster than I can keep up. Please try again in about ${seconds} s.`;
}
