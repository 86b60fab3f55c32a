import { type IIdentifyThrottler, SimpleIdentifyThrottler } from 'discord.js';
import type { SpacedGate } from '../../src/coordination/spaced-gate.ts';
import { describeError } from '../../src/errors.ts';
import type { Logger } from '../../src/logger.ts';

/** Discord's identify window: one IDENTIFY per rate-limit bucket per 5 s. */
export const IDENTIFY_WINDOW_MS = 5_000;
/**
 * Added to the window between two passes of a bucket's gate: the pass is recorded before the
 * IDENTIFY is written, and two processes' frames take different times to reach Discord (a busy
 * event loop can hold one back by hundreds of ms). discord.js's own throttler adds 0-1.5 s.
 */
export const IDENTIFY_MARGIN_MS = 1_000;

export interface SharedIdentifyThrottlerOptions {
  /** The shared store's gate (`runtime.stores.spacedGate`). */
  gate: SpacedGate;
  /** `session_start_limit.max_concurrency` from `GET /gateway/bot`: the number of buckets. */
  maxConcurrency: number;
  /** Names the bot whose identifies are throttled (the application id), so bots sharing a store do not wait for each other. */
  botKey: string;
  logger: Logger;
}

/** Name of the gate of one identify bucket. */
export function identifyGateName(botKey: string, bucket: number): string {
  return `discord-identify:${botKey}:${bucket}`;
}

/**
 * discord.js's identify throttler over a shared `SpacedGate`: a shard of bucket
 * `shardId % max_concurrency` identifies only when no shard of that bucket identified in the
 * last window, in whichever process or machine. When the store cannot be reached it logs and
 * falls back to discord.js's in-process throttler, so this process's shards stay spaced.
 */
export function createSharedIdentifyThrottler(options: SharedIdentifyThrottlerOptions): IIdentifyThrottler {
  const maxConcurrency = Math.max(1, options.maxConcurrency);
  const local = new SimpleIdentifyThrottler(maxConcurrency);
  return {
    async waitForIdentify(shardId, signal) {
      const bucket = shardId % maxConcurrency;
      try {
        await options.gate.pass(
          identifyGateName(options.botKey, bucket),
          IDENTIFY_WINDOW_MS + IDENTIFY_MARGIN_MS,
          signal,
        );
      } catch (error) {
        if (signal.aborted) throw error;
        options.logger.warn(
          { shardId, bucket, error: describeError(error) },
          'shared identify throttle unavailable; spacing identifies in this process only',
        );
        await local.waitForIdentify(shardId, signal);
      }
    },
  };
}
