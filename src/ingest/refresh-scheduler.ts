import { systemTimer, type Timer } from '../clock.ts';
import { describeError } from '../errors.ts';
import { type Logger, silentLogger } from '../logger.ts';

export interface RefreshSchedulerOptions {
  /** Minutes between runs (`PAPERBOT_REFRESH_MINUTES`); 0 turns the refresh off. */
  intervalMinutes: number;
  /** One refresh (fetch the feeds and ingest); its errors are logged, never thrown. */
  run: () => Promise<unknown>;
  /** Timers (default: Node's, unref'd). */
  timer?: Timer;
  logger?: Logger;
  /** Also run once right after `start` (default true). */
  runAtStart?: boolean;
}

/** Periodic feed refresh for the long-running process. */
export interface RefreshScheduler {
  /** Starts the schedule; does nothing when the interval is 0 or it is already started. */
  start(): void;
  /** Stops scheduling and waits for a run in progress to end. */
  stop(): Promise<void>;
  /** Runs now unless a run is in progress (then returns that run). Never rejects. */
  runNow(): Promise<void>;
  /** True while a run is in progress. */
  readonly running: boolean;
}

/**
 * Runs `run` every `intervalMinutes`. Runs never overlap: the next one is scheduled when the
 * previous ends, and `runNow` during a run joins it. Errors are logged at error level.
 */
export function createRefreshScheduler(options: RefreshSchedulerOptions): RefreshScheduler {
  const timer = options.timer ?? systemTimer;
  const logger = options.logger ?? silentLogger();
  const intervalMs = options.intervalMinutes * 60_000;
  let handle: unknown;
  let started = false;
  let current: Promise<void> | undefined;

  const schedule = () => {
    if (!started) return;
    handle = timer.setTimeout(() => runNow().then(schedule), intervalMs);
  };

  function runNow(): Promise<void> {
    if (current) return current;
    const startedAt = Date.now();
    current = (async () => {
      try {
        const result = await options.run();
        logger.info({ result, ms: Date.now() - startedAt }, 'feed refresh done');
      } catch (error) {
        logger.error({ error: describeError(error) }, 'feed refresh failed; will retry at the next interval');
      } finally {
        current = undefined;
      }
    })();
    return current;
  }

  return {
    start() {
      if (started || options.intervalMinutes <= 0) return;
      started = true;
      if (options.runAtStart ?? true) void runNow().then(schedule);
      else schedule();
    },
    async stop() {
      started = false;
      if (handle !== undefined) timer.clearTimeout(handle);
      handle = undefined;
      await current;
    },
    runNow,
    get running() {
      return current !== undefined;
    },
  };
}
