import { describeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { DigestLedger, DigestRecord } from './digest-ledger.ts';
import { addDays } from './schedule-time.ts';
import type { TrendingService } from './trending-service.ts';
import type { Digest, DigestDestination, DigestSender } from './types.ts';

/** How a run day's digest is chosen (the scheduler's settings; `digest send` uses the defaults). */
export interface DigestSelection {
  /** K: papers posted to a destination in the last K run days are not repeated (default 7). */
  repeatWindowDays?: number;
  /** A run covers the newest Daily-Papers day at most this many days before its run day (default 4). */
  maxAgeDays?: number;
  /**
   * When false (default) a run covers the newest Daily-Papers day strictly before its local run
   * day (yesterday's list is complete); when true, the run day itself counts.
   */
  includeRunDay?: boolean;
}

/** Default repeat window K, in days. */
export const DEFAULT_REPEAT_WINDOW_DAYS = 7;

/** Default oldest Daily-Papers day a run covers, in days before the run day. */
export const DEFAULT_MAX_AGE_DAYS = 4;

export interface DeliverDigestRequest extends DigestSelection {
  destination: DigestDestination;
  /** The local day of the run, `YYYY-MM-DD` (the ledger's key with the destination). */
  runDate: string;
  ledger: DigestLedger;
  trending: TrendingService;
  sender: DigestSender;
  /** This process's id in the ledger. */
  owner: string;
  logger: Logger;
  /**
   * Take over another owner's `sending` claim before it is stale, once the platform says it was not
   * delivered: only when the claimer is known to be dead (an operator's `digest send --take-over`).
   */
  takeOverLive?: boolean;
  /**
   * Record an empty day in the ledger, so replicas do not look again (default true). `digest send`
   * records nothing: the operator may ingest the day and run it again.
   */
  recordEmpty?: boolean;
}

/** What one delivery attempt did. */
export interface DeliveryResult {
  /**
   * `sent` (papers posted) or `note` (the empty-day note posted); `empty` (nothing to post, recorded);
   * `done` (already sent or recorded empty: `record` says when); `recovered` (a crashed send had
   * arrived; now recorded); `busy` (another live claim is sending, or may be); `failed` (the send threw).
   */
  outcome: 'sent' | 'note' | 'empty' | 'done' | 'recovered' | 'busy' | 'failed';
  paperIds: string[];
  /** The Daily-Papers day the posted digest covers (`sent`). */
  coversDate?: string;
  /** The digest posted (`sent`, `note`). */
  digest?: Digest;
  /** The ledger row as found (`done`, `busy`, `recovered`). */
  record?: DigestRecord;
  /** Platform ids of the posted messages, when the sender knows them. */
  messageIds?: string[];
  /** Why the send failed (`failed`). */
  error?: string;
}

/** The digest a run should post, or undefined for an empty day. */
async function buildDigest(request: DeliverDigestRequest): Promise<Digest | undefined> {
  const { destination, runDate, ledger, trending } = request;
  const coverBefore = request.includeRunDay ? runDate : addDays(runDate, -1);
  const day = await trending.newestDay(coverBefore);
  if (!day || day < addDays(runDate, -(request.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS))) return undefined;
  // A day already posted to this destination is not posted again (the rest of its list included).
  if (await ledger.hasCovered(destination.id, day, runDate)) return undefined;
  const since = addDays(runDate, -(request.repeatWindowDays ?? DEFAULT_REPEAT_WINDOW_DAYS));
  const posted = await ledger.postedPaperIds(destination.id, since, runDate);
  const digest = await trending.trendingDigest({
    date: day,
    topic: destination.topic,
    limit: destination.limit,
    excludePaperIds: posted,
  });
  return digest.items.length > 0 ? digest : undefined;
}

/**
 * Posts the digest of (destination, run day) at most once, through the ledger: claims it before
 * sending and records delivery after; a claim left in doubt (a crash between the two, or a failed
 * send) is checked with the platform (`sender.wasDelivered`) before it is taken over and sent.
 * Shared by the scheduler and `paperbot digest send`, so both decide the same way.
 */
export async function deliverDigest(request: DeliverDigestRequest): Promise<DeliveryResult> {
  const { destination, runDate, ledger, sender, owner, logger } = request;
  const existing = await ledger.get(destination.id, runDate);
  if (existing && (existing.status === 'sent' || existing.status === 'empty'))
    return { outcome: 'done', paperIds: existing.paperIds, record: existing };

  let digest = await buildDigest(request);
  if (!digest) {
    if (!destination.emptyNote) {
      if (request.recordEmpty === false) return { outcome: 'empty', paperIds: [] };
      if (await ledger.recordEmpty(destination.id, runDate, owner)) return { outcome: 'empty', paperIds: [] };
      const found = await ledger.get(destination.id, runDate);
      if (found?.status === 'sent' || found?.status === 'empty')
        return { outcome: 'done', paperIds: found.paperIds, record: found };
      return { outcome: 'busy', paperIds: found?.paperIds ?? [], ...(found ? { record: found } : {}) };
    }
    digest = { title: `Trending papers · ${runDate}`, date: runDate, items: [], note: destination.emptyNote };
  }
  const paperIds = digest.items.map((item) => item.paperId);
  const coversDate = digest.items.length > 0 ? digest.date : undefined;
  const claim = await ledger.claim({
    destinationId: destination.id,
    digestDate: runDate,
    paperIds,
    coversDate,
    owner,
  });
  if (claim.outcome === 'done')
    return { outcome: 'done', paperIds: claim.record.paperIds, record: claim.record };
  if (claim.outcome === 'in-doubt') {
    // Whoever claimed it may have posted it and died before recording: ask the platform first.
    if (await sender.wasDelivered(destination, claim.record.idempotencyKey)) {
      await ledger.markSent(destination.id, runDate);
      logger.info({ destinationId: destination.id, runDate }, 'digest found delivered; recorded');
      return { outcome: 'recovered', paperIds: claim.record.paperIds, record: claim.record };
    }
    const mayTakeOver = claim.stale || request.takeOverLive === true;
    if (!mayTakeOver || !(await ledger.takeOver(claim.record, { owner, paperIds, coversDate })))
      return { outcome: 'busy', paperIds: claim.record.paperIds, record: claim.record };
  }
  let messageIds: string[] | undefined;
  try {
    const receipt = await sender.send(destination, digest, ledger.keyFor(destination.id, runDate));
    messageIds = receipt?.messageIds;
  } catch (error) {
    await ledger.markFailed(destination.id, runDate, owner, describeError(error));
    logger.warn(
      { destinationId: destination.id, runDate, error: describeError(error) },
      'digest send failed',
    );
    return { outcome: 'failed', paperIds, error: describeError(error) };
  }
  await ledger.markSent(destination.id, runDate);
  logger.info({ destinationId: destination.id, runDate, papers: paperIds.length }, 'digest posted');
  return {
    outcome: digest.items.length > 0 ? 'sent' : 'note',
    paperIds,
    digest,
    ...(coversDate ? { coversDate } : {}),
    ...(messageIds ? { messageIds } : {}),
  };
}
