import { PaperbotError } from '../errors.ts';

/** What the user is told when the queue is full; adapters may show `error.message` as is. */
export const BUSY_MESSAGE = 'I am busy answering other questions right now. Please try again in a minute.';
/** What the user is told when the process is shutting down. */
export const SHUTTING_DOWN_MESSAGE = 'I am restarting right now. Please try again in a minute.';

/** After the drain deadline, how long aborted tasks get to unwind before `drain` gives up (ms). */
const ABORT_GRACE_MS = 1_000;

/** Service time assumed before the first task has been measured (ms). */
const INITIAL_SERVICE_MS = 100;
/** Weight of the newest measurement in the moving average of service time. */
const EWMA_WEIGHT = 0.2;

export interface WorkQueueOptions {
  /** Tasks running at once (`PAPERBOT_MAX_CONCURRENCY`, at least 1). */
  concurrency: number;
  /**
   * Tasks waiting for a slot at most (`PAPERBOT_QUEUE_SIZE`, 0 or more): a memory bound only;
   * admission is decided by `maxWaitMs`. Beyond it `run` rejects with BUSY.
   */
  queueSize: number;
  /**
   * Longest a new task may be expected to take until it finishes, waiting included (ms,
   * `PAPERBOT_MAX_WAIT_MS`). The estimate is the tasks ahead of it, spread over the slots, times
   * the measured service time (a moving average); a task whose estimate exceeds this is refused
   * with BUSY. Default: no bound (only `queueSize` limits).
   */
  maxWaitMs?: number;
  /** Time source for service-time measurements (ms; default `performance.now`). */
  now?: () => number;
  /** Called with (running, waiting) whenever either changes (for the queue-depth gauge). */
  onDepthChange?: (running: number, waiting: number) => void;
}

/** A unit of work; `signal` aborts when the queue's drain deadline passes. */
export type Task<T> = (signal: AbortSignal) => Promise<T>;

/**
 * Bounded concurrency, admission by expected wait: work is queued while it can be answered within
 * `maxWaitMs`, and only work that could not is refused (at once, never queued forever).
 * Kept over `p-queue`: admission by expected wait and the drain deadline that aborts running tasks
 * are the point here, and p-queue offers neither as such.
 */
export interface WorkQueue {
  /**
   * Runs `task` when a slot is free. Rejects immediately with `PaperbotError('BUSY')` when every
   * slot is taken and either `queueSize` tasks already wait or the task could not be expected to
   * finish within `maxWaitMs`, or after `close()`; otherwise settles as the task does.
   */
  run<T>(task: Task<T>): Promise<T>;
  /** Tasks running now. */
  readonly running: number;
  /** Tasks waiting for a slot. */
  readonly waiting: number;
  /** How long a task admitted now is expected to take until it finishes, waiting included (ms). */
  readonly estimatedWaitMs: number;
  /** Moving average of measured service time per task (ms). */
  readonly serviceMs: number;
  /** Stops accepting tasks (they reject with BUSY); tasks already accepted still run. */
  close(): void;
  /**
   * Resolves true once every accepted task has settled, or false when `deadlineMs` passes first;
   * then waiting tasks are refused, running ones are aborted through their signal and get a
   * second to settle.
   */
  drain(deadlineMs: number): Promise<boolean>;
}

interface Waiting {
  start: () => void;
  reject: (error: unknown) => void;
}

export function createWorkQueue(options: WorkQueueOptions): WorkQueue {
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const queueSize = Math.max(0, Math.floor(options.queueSize));
  const waitList: Waiting[] = [];
  const controller = new AbortController();
  const idleListeners = new Set<() => void>();
  const maxWaitMs = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
  const now = options.now ?? (() => performance.now());
  let serviceMs = INITIAL_SERVICE_MS;
  let measured = false;
  let running = 0;
  let closed = false;
  // Tasks ahead (running and waiting) are spread over the slots; the new task then runs itself.
  const estimate = () => (Math.floor((running + waitList.length) / concurrency) + 1) * serviceMs;
  const record = (elapsedMs: number) => {
    serviceMs = measured ? serviceMs + EWMA_WEIGHT * (elapsedMs - serviceMs) : elapsedMs;
    measured = true;
  };

  const report = () => options.onDepthChange?.(running, waitList.length);
  const checkIdle = () => {
    if (running === 0 && waitList.length === 0) for (const listener of idleListeners) listener();
  };

  const next = () => {
    while (running < concurrency && waitList.length > 0) waitList.shift()?.start();
    report();
    checkIdle();
  };

  return {
    run<T>(task: Task<T>): Promise<T> {
      if (closed) return Promise.reject(new PaperbotError('BUSY', SHUTTING_DOWN_MESSAGE));
      if (running >= concurrency && (waitList.length >= queueSize || estimate() > maxWaitMs)) {
        return Promise.reject(new PaperbotError('BUSY', BUSY_MESSAGE));
      }
      return new Promise<T>((resolve, reject) => {
        const start = () => {
          running += 1;
          // Answering is CPU-bound and promise chains never return to the event loop on their own:
          // starting each task from a fresh macrotask lets pending I/O (acks, new events) run first.
          setImmediate(() => {
            const startedAt = now();
            let result: Promise<T>;
            try {
              result = task(controller.signal);
            } catch (error) {
              result = Promise.reject(error);
            }
            // The time is recorded before the caller hears back; the slot is freed after, so a
            // drain ends only once callers have seen their results.
            result
              .then(
                (value) => {
                  record(now() - startedAt);
                  resolve(value);
                },
                (error: unknown) => {
                  record(now() - startedAt);
                  reject(error);
                },
              )
              .finally(() => {
                running -= 1;
                next();
              });
          });
        };
        if (running < concurrency) start();
        else waitList.push({ start, reject });
        report();
      });
    },
    get running() {
      return running;
    },
    get waiting() {
      return waitList.length;
    },
    get estimatedWaitMs() {
      return estimate();
    },
    get serviceMs() {
      return serviceMs;
    },
    close() {
      closed = true;
    },
    drain(deadlineMs: number): Promise<boolean> {
      if (running === 0 && waitList.length === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        let timer: NodeJS.Timeout;
        const onIdle = () => {
          clearTimeout(timer);
          idleListeners.delete(onIdle);
          resolve(!controller.signal.aborted);
        };
        const abort = () => {
          // Waiting tasks never started: tell their callers, then cut the running ones short and
          // give them a moment to unwind, so nothing touches what the caller closes next.
          for (const waiting of waitList.splice(0)) {
            waiting.reject(new PaperbotError('BUSY', SHUTTING_DOWN_MESSAGE));
          }
          report();
          controller.abort(new PaperbotError('SHUTDOWN', 'The process is shutting down.'));
          checkIdle();
          timer = setTimeout(() => {
            idleListeners.delete(onIdle);
            resolve(false);
          }, ABORT_GRACE_MS);
        };
        timer = setTimeout(abort, Math.max(0, deadlineMs));
        idleListeners.add(onIdle);
      });
    },
  };
}
