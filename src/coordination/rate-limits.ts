/** Per-minute allowances for questions from one user and in one channel. */
export interface RateLimits {
  /** Requests a user may make per minute (bucket size and refill rate). */
  userPerMinute: number;
  /** Requests a channel may see per minute. */
  channelPerMinute: number;
}

/** The outcome of `RequestLimiter.take`. */
export type RateDecision =
  | { allowed: true }
  | { allowed: false; retryAfterMs: number; scope: 'user' | 'channel' };

/**
 * Per-user and per-channel limits as adapters use them: in this process's memory
 * (`RateLimiter`), or shared by every replica (`PostgresRateLimiter`).
 */
export interface RequestLimiter {
  /** Takes a token for `userId` in `channelId` when both buckets have one, else neither. */
  take(userId: string, channelId: string): RateDecision | Promise<RateDecision>;
}

/** One token bucket: tokens left at `updatedAt` (ms since the epoch). */
export interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** The bucket refilled continuously up to `perMinute` tokens from its last update to `now`. */
export function refill(bucket: Bucket | undefined, perMinute: number, now: number): Bucket {
  if (!bucket) return { tokens: perMinute, updatedAt: now };
  const elapsed = Math.max(0, now - bucket.updatedAt);
  return { tokens: Math.min(perMinute, bucket.tokens + (elapsed * perMinute) / 60_000), updatedAt: now };
}

/**
 * The two-bucket decision on refilled buckets: a token from both, or from neither when either is
 * empty. Returns the decision and the buckets to store (unchanged counts when refused).
 */
export function takeFromBoth(
  user: Bucket,
  channel: Bucket,
  limits: RateLimits,
): { decision: RateDecision; user: Bucket; channel: Bucket } {
  const wait = (bucket: Bucket, perMinute: number) => Math.ceil(((1 - bucket.tokens) * 60_000) / perMinute);
  if (user.tokens < 1) {
    return {
      decision: { allowed: false, scope: 'user', retryAfterMs: wait(user, limits.userPerMinute) },
      user,
      channel,
    };
  }
  if (channel.tokens < 1) {
    return {
      decision: { allowed: false, scope: 'channel', retryAfterMs: wait(channel, limits.channelPerMinute) },
      user,
      channel,
    };
  }
  return {
    decision: { allowed: true },
    user: { ...user, tokens: user.tokens - 1 },
    channel: { ...channel, tokens: channel.tokens - 1 },
  };
}
