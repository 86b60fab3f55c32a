import { type Clock, systemClock } from '../clock.ts';
import {
  type Bucket,
  type RateDecision,
  type RateLimits,
  type RequestLimiter,
  refill,
  takeFromBoth,
} from '../coordination/rate-limits.ts';

export type { RateDecision, RateLimits, RequestLimiter } from '../coordination/rate-limits.ts';

/**
 * Token buckets per user and per channel in this process's memory: each holds `perMinute` tokens
 * and refills continuously. A request takes one token from both buckets, or from neither when
 * either is empty. The embedded (single-process) default; replicas on PostgreSQL share
 * `PostgresRateLimiter` instead.
 */
export class RateLimiter implements RequestLimiter {
  private readonly users = new Map<string, Bucket>();
  private readonly channels = new Map<string, Bucket>();

  constructor(
    private readonly limits: RateLimits,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Takes a token for `userId` in `channelId` when both buckets have one. */
  take(userId: string, channelId: string): RateDecision {
    const now = this.clock.now();
    const result = takeFromBoth(
      refill(this.users.get(userId), this.limits.userPerMinute, now),
      refill(this.channels.get(channelId), this.limits.channelPerMinute, now),
      this.limits,
    );
    this.store(this.users, userId, result.user, now);
    this.store(this.channels, channelId, result.channel, now);
    return result.decision;
  }

  private store(buckets: Map<string, Bucket>, key: string, bucket: Bucket, now: number): void {
    buckets.set(key, bucket);
    // A bucket untouched for a minute is full again and carries no information: drop such buckets.
    if (buckets.size > 10_000) {
      for (const [other, entry] of buckets)
        if (now - entry.updatedAt >= 60_000 && other !== key) buckets.delete(other);
    }
  }
}

/** The polite answer to a request over the limit (plain text; adapters format it). */
export function rateLimitMessage(decision: Extract<RateDecision, { allowed: false }>): string {
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  const who = decision.scope === 'user' ? 'You are asking' : 'This channel is asking';
  return `${who} faster than I can keep up. Please try again in about ${seconds} s.`;
}
