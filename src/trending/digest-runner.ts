import { type Clock, systemClock, systemTimer, type Timer } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { SqliteDatabase } from '../storage/database.ts';
import { mergeDestinations, readDigestConfig, subscriptionDestinations } from './destinations.ts';
import { createDigestLedger } from './digest-ledger.ts';
import {
  createDigestScheduler,
  type DigestScheduler,
  type DigestSchedulerOptions,
} from './digest-scheduler.ts';
import type { SubscriptionRepository } from './subscriptions.ts';
import type { TrendingService } from './trending-service.ts';
import type { DigestDestination, DigestSender } from './types.ts';

export interface DigestRunnerOptions
  extends Partial<
    Pick<DigestSchedulerOptions, 'repeatWindowDays' | 'maxAgeDays' | 'includeRunDay' | 'owner'>
  > {
  database: SqliteDatabase;
  /** The `/subscribe` subscriptions (`runtime.stores.subscriptions`), re-read on every tick. */
  subscriptions: SubscriptionRepository;
  trending: TrendingService;
  /** The adapters' senders (Discord, Slack) that are configured in this process. */
  senders: readonly DigestSender[];
  /** `config.digestConfigPath` (PAPERBOT_DIGEST_CONFIG); subscriptions alone when absent. */
  digestConfigPath?: string;
  logger: Logger;
  clock?: Clock;
  timer?: Timer;
}

/**
 * The digest scheduler of a bot process, wired from configuration: reads and validates the
 * config file now (throws `DIGEST_CONFIG_INVALID` at startup), re-reads `/subscribe` rows on every
 * tick. Call `start()` once the senders can post, and `stop()` on shutdown.
 */
export function createDigestRunner(options: DigestRunnerOptions): DigestScheduler {
  const clock = options.clock ?? systemClock;
  const fromFile = options.digestConfigPath ? readDigestConfig(options.digestConfigPath) : [];
  const destinations = async (): Promise<DigestDestination[]> =>
    mergeDestinations(fromFile, subscriptionDestinations(await options.subscriptions.list(), options.logger));
  options.logger.info(
    {
      destinations: fromFile.map((destination) => destination.id),
      senders: options.senders.map((s) => s.platform),
    },
    'digest scheduler configured',
  );
  return createDigestScheduler({
    trending: options.trending,
    ledger: createDigestLedger(options.database, { clock }),
    destinations,
    senders: options.senders,
    clock,
    timer: options.timer ?? systemTimer,
    logger: options.logger,
    ...(options.owner ? { owner: options.owner } : {}),
    ...(options.repeatWindowDays ? { repeatWindowDays: options.repeatWindowDays } : {}),
    ...(options.maxAgeDays ? { maxAgeDays: options.maxAgeDays } : {}),
    ...(options.includeRunDay ? { includeRunDay: options.includeRunDay } : {}),
  });
}
