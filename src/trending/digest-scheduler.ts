import { hostname } from 'node:os';
import type { Clock, Timer } from '../clock.ts';
import { describeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { DEFAULT_MAX_AGE_DAYS, DEFAULT_REPEAT_WINDOW_DAYS, deliverDigest } from './digest-delivery.ts';
import type { DigestLedger } from './digest-ledger.ts';
import { type CronSchedule, createCronSchedule, localDay } from './schedule-time.ts';
import type { TrendingService } from './trending-service.ts';
import type { DigestDestination, DigestSender } from './types.ts';

export interface DigestSchedulerOptions {
  trending: TrendingService;
  ledger: DigestLedger;
  /** Called on every tick, so `/subscribe` rows added at runtime are picked up. */
  destinations: () => readonly DigestDestination[] | Promise<readonly DigestDestination[]>;
  /** One per platform; destinations without a sender are skipped with a warning. */
  senders: readonly DigestSender[];
  clock: Clock;
  timer: Timer;
  logger: Logger;
  /** Identifies this process in `digests.owner` (default host:pid:random). */
  owner?: string;
  /** K: papers posted to a destination in the last K run days are not repeated (default 7). */
  repeatWindowDays?: number;
  /** A run covers the newest Daily-Papers day at most this many days before its run day (default 4). */
  maxAgeDays?: number;
  /**
   * When false (default) a run covers the newest Daily-Papers day strictly before its local run
   * day (yesterday's list is complete); when true, the run day itself counts.
   */
  includeRunDay?: boolean;
  /** A missed run is caught up after downtime when it is at most this old (default 3.5 days). */
  catchUpWithinMs?: number;
  /** Wait before retrying a failed or busy digest (default 1 min). */
  retryDelayMs?: number;
  /** Longest sleep between ticks, so clock jumps are noticed (default 1 h). */
  maxSleepMs?: number;
  /** Give up on a run day after this many claims (default 5). */
  maxAttempts?: number;
}

/** What one tick did for one destination. */
export interface DigestRunReport {
  destinationId: string;
  /** Local day of the scheduled run, `YYYY-MM-DD`. */
  runDate: string;
  outcome: 'sent' | 'note' | 'empty' | 'done' | 'recovered' | 'busy' | 'failed' | 'gave-up' | 'no-sender';
  paperIds: string[];
  /** True when the run was missed during downtime and caught up now. */
  catchUp: boolean;
}

export interface DigestScheduler {
  /** Starts ticking on the timer (first tick immediately, which catches up a missed run). */
  start(): void;
  /** Stops the timer and waits for a tick in progress. */
  stop(): Promise<void>;
  /** Runs every due digest once now; concurrent calls share one tick. */
  tick(): Promise<DigestRunReport[]>;
}

export { DEFAULT_REPEAT_WINDOW_DAYS };

export function createOwnerId(): string {
  return `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

export function createDigestScheduler(options: DigestSchedulerOptions): DigestScheduler {
  const { ledger, trending, clock, timer, logger } = options;
  const owner = options.owner ?? createOwnerId();
  const repeatWindowDays = options.repeatWindowDays ?? DEFAULT_REPEAT_WINDOW_DAYS;
  const maxAgeDays = options.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
  const catchUpWithinMs = options.catchUpWithinMs ?? 3.5 * 86_400_000;
  const retryDelayMs = options.retryDelayMs ?? 60_000;
  const maxSleepMs = options.maxSleepMs ?? 3_600_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const schedules = new Map<string, CronSchedule>();
  const warned = new Set<string>();
  let startedAt = clock.now();
  let handle: unknown;
  let running: Promise<DigestRunReport[]> | undefined;
  let stopped = true;

  const scheduleOf = (destination: DigestDestination) => {
    const key = `${destination.cron}\n${destination.timeZone}`;
    let schedule = schedules.get(key);
    if (!schedule) {
      schedule = createCronSchedule(destination.cron, destination.timeZone);
      schedules.set(key, schedule);
    }
    return schedule;
  };

  const warnOnce = (key: string, fields: object, message: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    logger.warn(fields, message);
  };

  async function runDestination(
    destination: DigestDestination,
    now: number,
  ): Promise<DigestRunReport | undefined> {
    const runAt = scheduleOf(destination).latestRunAtOrBefore(now);
    if (runAt === undefined) return undefined;
    const catchUp = runAt < startedAt;
    if (catchUp && (now - runAt > catchUpWithinMs || !(await ledger.hasHistory(destination.id))))
      return undefined;
    const runDate = localDay(runAt, destination.timeZone);
    const report = (outcome: DigestRunReport['outcome'], paperIds: string[] = []): DigestRunReport => ({
      destinationId: destination.id,
      runDate,
      outcome,
      paperIds,
      catchUp,
    });
    const existing = await ledger.get(destination.id, runDate);
    if (existing && (existing.status === 'sent' || existing.status === 'empty')) return undefined;
    if (existing && existing.attempts >= maxAttempts && existing.status === 'failed') {
      warnOnce(
        `gave-up:${destination.id}:${runDate}`,
        { destinationId: destination.id, runDate },
        'digest gave up',
      );
      return report('gave-up');
    }
    const sender = options.senders.find((candidate) => candidate.platform === destination.platform);
    if (!sender) {
      warnOnce(
        `sender:${destination.id}`,
        { destinationId: destination.id },
        `no ${destination.platform} sender`,
      );
      return report('no-sender');
    }
    const result = await deliverDigest({
      destination,
      runDate,
      ledger,
      trending,
      sender,
      owner,
      logger: catchUp ? logger.child({ catchUp }) : logger,
      repeatWindowDays,
      maxAgeDays,
      includeRunDay: options.includeRunDay ?? false,
    });
    return report(result.outcome, result.paperIds);
  }

  async function runTick(): Promise<DigestRunReport[]> {
    const now = clock.now();
    const reports: DigestRunReport[] = [];
    for (const destination of await options.destinations()) {
      try {
        const report = await runDestination(destination, now);
        if (report) reports.push(report);
      } catch (error) {
        logger.error({ destinationId: destination.id, error: describeError(error) }, 'digest run failed');
        reports.push({
          destinationId: destination.id,
          runDate: '',
          outcome: 'failed',
          paperIds: [],
          catchUp: false,
        });
      }
    }
    return reports;
  }

  async function wakeDelay(reports: DigestRunReport[]): Promise<number> {
    const now = clock.now();
    let wakeAt = now + maxSleepMs;
    if (reports.some((report) => report.outcome === 'busy' || report.outcome === 'failed')) {
      wakeAt = Math.min(wakeAt, now + retryDelayMs);
    }
    for (const destination of await options.destinations()) {
      const next = scheduleOf(destination).nextRunAfter(now);
      if (next !== undefined) wakeAt = Math.min(wakeAt, next);
    }
    return Math.max(0, wakeAt - now);
  }

  async function loop(): Promise<void> {
    handle = undefined;
    if (stopped) return;
    let reports: DigestRunReport[] = [];
    try {
      reports = await scheduler.tick();
    } catch (error) {
      logger.error({ error: describeError(error) }, 'digest tick failed');
    }
    let delay = retryDelayMs;
    try {
      delay = await wakeDelay(reports);
    } catch (error) {
      logger.error({ error: describeError(error) }, 'digest destinations unreadable');
    }
    if (!stopped) handle = timer.setTimeout(loop, delay);
  }

  const scheduler: DigestScheduler = {
    start() {
      if (!stopped) return;
      stopped = false;
      startedAt = clock.now();
      handle = timer.setTimeout(loop, 0);
    },
    async stop() {
      stopped = true;
      if (handle !== undefined) timer.clearTimeout(handle);
      handle = undefined;
      await running?.catch(() => undefined);
    },
    tick() {
      running ??= runTick().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
  return scheduler;
}
