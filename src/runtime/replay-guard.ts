/**
 * Remembers signed requests for as long as their signature is valid, so the same bytes replayed
 * are handled once. Behind an interface so a store shared by several processes can back it later.
 */
export interface ReplayGuard {
  /**
   * True the first time `key` is seen within the window; false for a replay. `nowMs` is the
   * caller's clock (milliseconds since the epoch).
   */
  firstSeen(key: string, nowMs: number): boolean;
  /** Keys remembered now (for tests and metrics). */
  readonly size: number;
}

export interface MemoryReplayGuardOptions {
  /** How long a key is remembered, in ms (default 5 minutes: Slack's signature window). */
  windowMs?: number;
  /**
   * Keys remembered at most (default 10,000). When full, the oldest key is forgotten early:
   * memory stays bounded, at the cost of protection for the oldest requests under a flood.
   */
  maxEntries?: number;
}

/** A `ReplayGuard` in this process's memory: expired keys are dropped as new ones arrive. */
export function createMemoryReplayGuard(options: MemoryReplayGuardOptions = {}): ReplayGuard {
  const windowMs = options.windowMs ?? 5 * 60_000;
  const maxEntries = Math.max(1, options.maxEntries ?? 10_000);
  // Insertion order is arrival order, so the oldest keys are always first.
  const seen = new Map<string, number>();
  return {
    firstSeen(key, nowMs) {
      for (const [oldKey, at] of seen) {
        if (nowMs - at < windowMs) break;
        seen.delete(oldKey);
      }
      const at = seen.get(key);
      if (at !== undefined && nowMs - at < windowMs) return false;
      seen.delete(key);
      seen.set(key, nowMs);
      if (seen.size > maxEntries) seen.delete(seen.keys().next().value!);
      return true;
    },
    get size() {
      return seen.size;
    },
  };
}
