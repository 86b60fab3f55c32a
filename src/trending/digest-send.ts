import type { Clock } from '../clock.ts';
import { PaperbotError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { type DeliveryResult, deliverDigest } from './digest-delivery.ts';
import type { DigestLedger } from './digest-ledger.ts';
import { createOwnerId } from './digest-scheduler.ts';
import { localDay } from './schedule-time.ts';
import { assertDay, type TrendingService } from './trending-service.ts';
import type { DigestDestination, DigestSender } from './types.ts';

export interface SendDigestNowRequest {
  /** The destination's id, e.g. `discord:123` (from the digest config file or `/subscribe`). */
  destinationId: string;
  /** The run day `YYYY-MM-DD` (the ledger's day); default: today in the destination's time zone. */
  date?: string;
  /** Every known destination, as the digest runner resolves them. */
  destinations: readonly DigestDestination[];
  ledger: DigestLedger;
  trending: TrendingService;
  /** The sender for the destination's platform; throws `NOT_CONFIGURED` when it has none. */
  senderFor(platform: DigestDestination['platform']): DigestSender | Promise<DigestSender>;
  clock: Clock;
  logger: Logger;
  /** See `DeliverDigestRequest.takeOverLive`. */
  takeOverLive?: boolean;
  /** This process's id in the ledger (default host:pid:random). */
  owner?: string;
}

/** What `sendDigestNow` did, with what a person needs to read it. */
export interface SendDigestNowReport {
  destination: DigestDestination;
  /** The run day the digest was recorded under. */
  runDate: string;
  result: DeliveryResult;
}

/**
 * Posts one destination's digest of one run day now, through the same ledger and rules as the
 * scheduler (`deliverDigest`), so it is safe while replicas run: the ledger decides who posts.
 * An empty day is reported and not recorded. Throws `DIGEST_DESTINATION_UNKNOWN` (with the known
 * ids and how to add one), `TRENDING_DATE_INVALID` for a bad date.
 */
export async function sendDigestNow(request: SendDigestNowRequest): Promise<SendDigestNowReport> {
  if (request.date !== undefined) assertDay(request.date);
  const destination = request.destinations.find((candidate) => candidate.id === request.destinationId);
  if (!destination) {
    const known = request.destinations.map((candidate) => candidate.id);
    throw new PaperbotError(
      'DIGEST_DESTINATION_UNKNOWN',
      `No digest destination "${request.destinationId}". ` +
        (known.length > 0 ? `Known: ${known.join(', ')}. ` : 'None is configured. ') +
        'Add it to the digest config file (PAPERBOT_DIGEST_CONFIG) or use /subscribe in the channel.',
    );
  }
  const sender = await request.senderFor(destination.platform);
  const runDate = request.date ?? localDay(request.clock.now(), destination.timeZone);
  const result = await deliverDigest({
    destination,
    runDate,
    ledger: request.ledger,
    trending: request.trending,
    sender,
    owner: request.owner ?? createOwnerId(),
    logger: request.logger,
    takeOverLive: request.takeOverLive ?? false,
    recordEmpty: false,
  });
  return { destination, runDate, result };
}
