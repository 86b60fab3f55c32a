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
   * then records this pass and resolves. Two callers of the same name, whichever processes or
   * machines they run in, resolve at least 90% of `spacingMs` apart in real time, however late the
   * store's replies reach them (the last 10% is the longest reply a pass is confirmed by); the
   * store's records of the passes are a full `spacingMs` apart. Different names do not wait for
   * each other. A name never passed before passes at once. Callers of one name in one process pass
   * in call order. Waiting holds no lock or connection, so a caller that dies releases nothing and
   * blocks no one beyond the spacing of its own last pass.
   *
   * @param name the gate, e.g. `discord-identify:<application>:<bucket>`.
   * @param spacingMs minimum time between two passes of `name`, in ms (a positive integer).
   * @param signal aborts the wait: the promise rejects with an `AbortError` and records nothing.
   * @throws the store's error when it cannot be reached (the caller decides how to degrade).
   */
  pass(name: string, spacingMs: number, signal?: AbortSignal): Promise<void>;
}

/**
 * A store's side of a gate. Neither call waits for anything but the store itself.
 *
 * A stamp is the store's record of one pass, in the store's own form (the server's timestamp
 * text, or ms on this machine's clock); the gate only hands it back.
 */
export interface PassStore<Stamp> {
  /**
   * In one atomic step: when `name` was last passed at least `spacingMs` ago (or never), records
   * a pass now and returns its stamp; else records nothing and returns the ms that remain.
   */
  tryPass(name: string, spacingMs: number): Promise<{ stamp: Stamp } | { remainingMs: number }>;
  /**
   * Moves this caller's own record of `name` from `stamp` to now and returns the new stamp, or
   * `undefined` when the record is no longer `stamp` (another pass was recorded since).
   */
  restamp(name: string, stamp: Stamp): Promise<Stamp | undefined>;
}

/** Shortest pause between two attempts, in ms: another caller may have passed in between. */
const MIN_RETRY_MS = 5;
/**
 * How close to the spacing a caller's pass may come to the next one's, as a share of the spacing:
 * a pass goes on only after a re-stamp whose round trip took at most this long.
 */
const TOLERANCE_SHARE = 0.1;
/** Re-stamps tried before giving up on a store too slow to keep passes spaced. */
const MAX_RESTAMPS = 20;
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
 * Confirms a granted pass: re-stamps it until one re-stamp's round trip took at most
 * `toleranceMs`. The store stamps a pass while the caller has not yet learned of it; a slow commit
 * or a slow reply (a starved backend, a stalled write, a busy event loop) would otherwise let the
 * next pass, another process's, come less than the spacing after this caller goes on. A re-stamp
 * is recorded between sending it and reading its reply, so once one comes back within the
 * tolerance this caller goes on at most `toleranceMs` after its record, whatever the clocks.
 *
 * @returns false when another pass was recorded meanwhile (ours came too late to count).
 */
async function confirmed<Stamp>(
  store: PassStore<Stamp>,
  name: string,
  granted: Stamp,
  spacingMs: number,
): Promise<boolean> {
  const toleranceMs = spacingMs * TOLERANCE_SHARE;
  let stamp = granted;
  for (let round = 0; round < MAX_RESTAMPS; round++) {
    const sent = performance.now();
    const moved = await store.restamp(name, stamp);
    if (moved === undefined) return false;
    if (performance.now() - sent <= toleranceMs) return true;
    stamp = moved;
  }
  throw new Error(
    `spaced gate "${name}": ${MAX_RESTAMPS} round trips to the store in a row took over ${toleranceMs} ms, ` +
      `so a pass cannot be kept ${spacingMs} ms from the next; the database is overloaded or far away`,
  );
}

/**
 * A `SpacedGate` over a store: attempts, waits out the time the store says remains (never longer
 * than the spacing, in case a clock jumped), and attempts again; a granted pass is confirmed
 * (`confirmed`) before the caller goes on. Callers that lose a race simply wait for the next
 * window, so no caller holds anything in the store while waiting. Within this process, callers of
 * one name queue first (in call order), so only one of them at a time asks the store: the store
 * sees one waiter per process, not one per caller.
 *
 * Two callers go on at least `spacingMs` × (1 − 0.1) apart in real time, across processes and
 * machines, however slow the store's replies (`MAX_RESTAMPS` slow ones in a row are an error).
 */
export function attemptingGate<Stamp>(store: PassStore<Stamp>): SpacedGate {
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
          const tried = await store.tryPass(name, spacingMs);
          if ('stamp' in tried) {
            if (await confirmed(store, name, tried.stamp, spacingMs)) return;
            continue;
          }
          await sleep(Math.min(spacingMs, Math.max(MIN_RETRY_MS, Math.ceil(tried.remainingMs))), undefined, {
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
