import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A named gate that callers pass one at a time, at least a given time apart, across every
 * process that shares the store behind it. Used to keep Discord's identify limit (one IDENTIFY
 * per rate-limit bucket per 5 s) across shard processes on several machines; nothing in it knows
 * about Discord.
 */
export interface SpacedGate {
  /**
   * Waits until the gate `name` was last passed at least `spacingMs` ago (by the store's clock),
   * then records this pass and resolves. Two passes of the same name are never closer than
   * `spacingMs`, whichever processes made them; different names do not wait for each other. A
   * name never passed before passes at once. Callers of one name in one process pass in call order. Waiting holds no lock or connection, so a caller
   * that dies releases nothing and blocks no one beyond the spacing of its own last pass.
   *
   * @param name the gate, e.g. `discord-identify:<application>:<bucket>`.
   * @param spacingMs minimum time between two passes of `name`, in ms (a positive integer).
   * @param signal aborts the wait: the promise rejects with an `AbortError` and records nothing.
   * @throws the store's error when it cannot be reached (the caller decides how to degrade).
   */
  pass(name: string, spacingMs: number, signal?: AbortSignal): Promise<void>;
}

/**
 * One attempt at passing: records the pass and returns 0 when the gate was last passed at least
 * `spacingMs` ago, else records nothing and returns how many ms remain until it may be.
 */
export type PassAttempt = (name: string, spacingMs: number) => Promise<number>;

/** Shortest pause between two attempts, in ms: another caller may have passed in between. */
const MIN_RETRY_MS = 5;

/** Resolves with `promise`, or rejects with the signal's reason as soon as it aborts. */
function unlessAborted(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A `SpacedGate` over a store's atomic attempt: attempts, waits out the time the store says
 * remains (never longer than the spacing, in case a clock jumped), and attempts again. Callers
 * that lose a race simply wait for the next window, so no caller holds anything in the store
 * while waiting. Within this process, callers of one name queue first (in call order), so only
 * one of them at a time asks the store: the store sees one waiter per process, not one per caller.
 */
export function attemptingGate(attempt: PassAttempt): SpacedGate {
  /** Per name, the promise the next local caller waits for. */
  const tails = new Map<string, Promise<void>>();
  return {
    async pass(name, spacingMs, signal) {
      if (!Number.isInteger(spacingMs) || spacingMs <= 0) {
        throw new RangeError(`spaced gate "${name}": spacingMs must be a positive integer, got ${spacingMs}`);
      }
      const earlier = tails.get(name) ?? Promise.resolve();
      let done!: () => void;
      const mine = new Promise<void>((resolve) => {
        done = resolve;
      });
      const tail = earlier.then(() => mine);
      tails.set(name, tail);
      try {
        await unlessAborted(earlier, signal);
        for (;;) {
          signal?.throwIfAborted();
          const remainingMs = await attempt(name, spacingMs);
          if (remainingMs <= 0) return;
          await sleep(Math.min(spacingMs, Math.max(MIN_RETRY_MS, Math.ceil(remainingMs))), undefined, {
            signal,
          });
        }
      } finally {
        done();
        if (tails.get(name) === tail) tails.delete(name);
      }
    },
  };
}
