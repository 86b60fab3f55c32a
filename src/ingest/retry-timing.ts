/**
 * How long to wait before retrying a request: what the server asked for (`Retry-After`,
 * `RateLimit`, `RateLimit-Reset`), else exponential backoff with jitter.
 */

/** Backoff settings; all durations in milliseconds. */
export interface BackoffOptions {
  /** Delay before the first retry, before jitter (default 1,000). */
  baseDelayMs: number;
  /** Upper bound of a computed backoff delay (default 30,000). */
  maxDelayMs: number;
}

/**
 * Parses `Retry-After`: delta-seconds (`120`) or an HTTP date. Returns milliseconds from `now`
 * (never negative), or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Seconds until the rate-limit window resets, from the IETF `RateLimit` header (both drafts:
 * `limit=500, remaining=0, reset=30` and `"api";r=0;t=30`) or `RateLimit-Reset: 30`.
 * Returns milliseconds, or undefined when neither header says.
 */
export function parseRateLimitReset(headers: Headers): number | undefined {
  const combined = headers.get('ratelimit');
  if (combined) {
    const match = combined.match(/(?:^|[;,\s])(?:reset|t)=(\d+(?:\.\d+)?)/i);
    if (match?.[1]) return Math.round(Number(match[1]) * 1000);
  }
  const reset = headers.get('ratelimit-reset');
  if (reset && /^\s*\d+(\.\d+)?\s*$/.test(reset)) return Math.round(Number(reset) * 1000);
  return undefined;
}

/** What the server asked us to wait, in milliseconds, if anything. */
export function serverRequestedDelay(headers: Headers, now: number): number | undefined {
  return parseRetryAfter(headers.get('retry-after'), now) ?? parseRateLimitReset(headers);
}

/**
 * Exponential backoff with jitter for retry number `attempt` (0 = first retry): a random delay
 * between half and all of `min(maxDelayMs, baseDelayMs * 2^attempt)`.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
