import { type Clock, systemClock, systemTimer, type Timer } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { SqliteDatabase } from '../storage/database.ts';
import { mergeDestinations, readDigestConfig, subscriptionDestinations } from './destinations.ts';
import { createDigestLedger, type DigestLedger } from './digest-ledger.ts';
import {
  createDigestScheduler,
  type DigestScheduler,
  type DigestSchedulerOptions,
} from './digest-scheduler.ts';
import type { SubscriptionRepository } from './subscriptions.ts';
import type { TrendingService } from './trending-service.ts';
import type { DigestDestination, DigestSender } from './types.ts';

/** Where the digest destinations come from. */
export interface DestinationSources {
  /** `config.digestConfigPath` (PAPERBOT_DIGEST_CONFIG); subscriptions alone when absent. */
  digestConfigPath?: string;
  /** The `/subscribe` subscriptions (`runtime.stores.subscriptions`, either backend). */
  subscriptions: SubscriptionRepository;
  logger: Logger;
}

/**
 * The destinations of the digest config file and of `/subscribe`, the file winning on the same
 * id. Reads and validates the file now (throws `DIGEST_CONFIG_INVALID`); the returned function
 * re-reads the subscriptions on every call.
 */
export function digestDestinations(sources: DestinationSources): () => Promise<DigestDestination[]> {
  const fromFile = sources.digestConfigPath ? readDigestConfig(sources.digestConfigPath) : [];
  return async () =>
    mergeDestinations(fromFile, subscriptionDestinations(await sources.subscriptions.list(), sources.logger));
}

export interface DigestRunnerOptions
  extends DestinationSources,
    Partial<Pick<DigestSchedulerOptions, 'repeatWindowDays' | 'maxAgeDays' | 'includeRunDay' | 'owner'>> {
  /** The embedded database of the default ledger, when `ledger` is not given. */
  database?: SqliteDatabase;
  /** The digest ledger (`runtime.stores.digestLedger`); default: the SQLite ledger of `database`. */
  ledger?: DigestLedger;
  trending: TrendingService;
  /** The adapters' senders (Discord, Slack) that are configured in this process. */
  senders: readonly DigestSender[];
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
  const destinations = digestDestinations(options);
  const ledger =
    options.ledger ?? (options.database ? createDigestLedger(options.database, { clock }) : undefined);
  if (!ledger) throw new Error('createDigestRunner needs a `ledger` (or the `database` that holds one)');
  options.logger.info(
    {
      digestConfig: options.digestConfigPath ?? null,
      senders: options.senders.map((s) => s.platform),
    },
    'digest scheduler configured',
  );
  return createDigestScheduler({
    trending: options.trending,
    ledger,
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
