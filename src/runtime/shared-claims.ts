import { type Clock, systemClock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { EventDedupRepository } from '../storage/event-dedup-repository.ts';
import { createMemoryReplayGuard } from './replay-guard.ts';

/** Claims on incoming events shared by every process of a deployment (see `createSharedClaims`). */
export interface SharedClaims {
  /**
   * True when this process may handle the event named by `key` (nobody claimed it within the last
   * `ttlMs`), false for a duplicate. Never rejects: when the store fails, this process's memory
   * decides (the event may then be handled by two replicas, never by none).
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

export interface SharedClaimsOptions {
  /** The shared store (`stores.eventDedup`). */
  repository: EventDedupRepository;
  logger: Logger;
  clock?: Clock;
  /** How often expired claims are deleted, in ms (default one minute). */
  purgeIntervalMs?: number;
}

/** Longest claim kept in memory when the store is unreachable. */
const FALLBACK_WINDOW_MS = 60 * 60_000;

/**
 * De-duplication of incoming events across replicas through the shared store, with this
 * process's memory as the fallback while the store is unreachable. Expired claims are purged
 * now and then, in the background.
 */
export function createSharedClaims(options: SharedClaimsOptions): SharedClaims {
  const { repository } = options;
  const clock = options.clock ?? systemClock;
  const purgeIntervalMs = options.purgeIntervalMs ?? 60_000;
  const logger = options.logger.child({ component: 'event-claims' });
  const fallback = createMemoryReplayGuard({ windowMs: FALLBACK_WINDOW_MS });
  let lastPurge = clock.now();
  return {
    async claim(key, ttlMs) {
      const now = clock.now();
      if (now - lastPurge >= purgeIntervalMs) {
        lastPurge = now;
        repository.purgeExpired(now).then(
          (purged) => logger.debug({ purged }, 'expired event claims purged'),
          (error: unknown) => logger.warn({ err: error }, 'could not purge expired event claims'),
        );
      }
      try {
        const claimed = await repository.claim(key, now, ttlMs);
        // Remember locally too, so a store outage later still catches this duplicate here.
        fallback.firstSeen(key, now);
        return claimed;
      } catch (error) {
        logger.warn({ err: error }, 'event claim store unreachable: de-duplicating in this process only');
        return fallback.firstSeen(key, now);
      }
    },
  };
}
