import { describeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { WorkQueue } from './work-queue.ts';

/** One named piece of shutdown work (stop an adapter, stop a scheduler, close the database). */
export interface ShutdownStep {
  /** Shown in logs, e.g. `slack`, `digest scheduler`, `runtime`. */
  name: string;
  run(): Promise<void> | void;
}

export interface ShutdownOptions {
  logger: Logger;
  /** The queue of in-flight answers: closed first, then drained. */
  queue: WorkQueue;
  /** Stops new events coming in (adapters' `stop()`); run together, before draining. */
  stopIntake: ShutdownStep[];
  /** Run in order once the queue has drained (or the deadline passed): schedulers, servers, stores. */
  release: ShutdownStep[];
  /** How long in-flight answers get to finish, in ms (default 10 000); then they are aborted. */
  drainDeadlineMs?: number;
}

/** What a shutdown did. */
export interface ShutdownReport {
  /** What started it, e.g. `SIGTERM`. */
  reason: string;
  /** True when every in-flight answer finished before the deadline. */
  drained: boolean;
  /** Names of the steps that threw (each logged). */
  failedSteps: string[];
}

export interface Shutdown {
  /** True once shutdown has begun (health checks report unavailable from then on). */
  readonly started: boolean;
  /** Resolves with the report once a shutdown (however started) has finished. */
  readonly finished: Promise<ShutdownReport>;
  /** Runs the shutdown once; later calls return the same promise. */
  run(reason: string): Promise<ShutdownReport>;
  /**
   * Runs the shutdown on the first SIGTERM or SIGINT; a second signal calls `forceExit` at once.
   * Returns a function that removes the handlers.
   */
  onSignals(forceExit: (signal: string) => void, target?: NodeJS.EventEmitter): () => void;
}

/**
 * Clean shutdown: stop taking events, let in-flight answers finish within a deadline, then stop
 * schedulers and close the database and index. A failing step is logged and the rest still run.
 */
export function createShutdown(options: ShutdownOptions): Shutdown {
  const logger = options.logger.child({ component: 'shutdown' });
  const deadlineMs = options.drainDeadlineMs ?? 10_000;
  let running: Promise<ShutdownReport> | undefined;
  let finish!: (report: ShutdownReport) => void;
  const finished = new Promise<ShutdownReport>((resolve) => {
    finish = resolve;
  });

  async function runStep(step: ShutdownStep, failed: string[]): Promise<void> {
    try {
      await step.run();
      logger.debug({ step: step.name }, 'shutdown step done');
    } catch (error) {
      failed.push(step.name);
      logger.error({ step: step.name, err: error }, `shutdown step failed: ${describeError(error)}`);
    }
  }

  async function shutdown(reason: string): Promise<ShutdownReport> {
    const failedSteps: string[] = [];
    const { queue } = options;
    logger.info(
      { reason, running: queue.running, waiting: queue.waiting, deadlineMs },
      'shutting down: no new events',
    );
    queue.close();
    await Promise.all(options.stopIntake.map((step) => runStep(step, failedSteps)));
    const drained = await queue.drain(deadlineMs);
    if (drained) logger.info('in-flight answers finished');
    else
      logger.warn({ deadlineMs, running: queue.running }, 'drain deadline passed; in-flight answers aborted');
    for (const step of options.release) await runStep(step, failedSteps);
    logger.info({ reason, drained, failedSteps }, 'shutdown complete');
    return { reason, drained, failedSteps };
  }

  const api: Shutdown = {
    get started() {
      return running !== undefined;
    },
    finished,
    run(reason) {
      running ??= shutdown(reason).then((report) => {
        finish(report);
        return report;
      });
      return running;
    },
    onSignals(forceExit, target = process) {
      const handler = (signal: string) => {
        if (running) {
          logger.warn({ signal }, 'second signal: exiting now');
          forceExit(signal);
          return;
        }
        void api.run(signal);
      };
      for (const signal of ['SIGTERM', 'SIGINT']) target.on(signal, handler);
      return () => {
        for (const signal of ['SIGTERM', 'SIGINT']) target.off(signal, handler);
      };
    },
  };
  return api;
}
