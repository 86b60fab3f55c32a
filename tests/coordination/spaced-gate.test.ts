import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { attemptingGate, type PassStore } from '../../src/coordination/spaced-gate.ts';

/** Passes of every name, shared by the in-memory stores of one test (as one database would be). */
type Passes = Map<string, number>;

/**
 * An in-memory store that counts how often it was asked to pass; `slowReplies` holds back the
 * reply of that many re-stamps by `delayMs` after the record is made, as a starved backend or a
 * slow network would.
 */
function countingStore(
  passes: Passes = new Map(),
  slow: { slowReplies: number; delayMs: number } = { slowReplies: 0, delayMs: 0 },
): PassStore<number> & { calls: number } {
  return {
    calls: 0,
    async tryPass(name, spacingMs) {
      this.calls++;
      const now = Date.now();
      const last = passes.get(name);
      if (last !== undefined && now - last < spacingMs) return { remainingMs: last + spacingMs - now };
      passes.set(name, now);
      return { stamp: now };
    },
    async restamp(name, stamp) {
      if (passes.get(name) !== stamp) return undefined;
      const now = Math.max(Date.now(), stamp);
      passes.set(name, now);
      if (slow.slowReplies > 0) {
        slow.slowReplies--;
        await sleep(slow.delayMs);
      }
      return now;
    },
  };
}

describe('attemptingGate', () => {
  it('queues callers of one name in this process, so the store is asked about once per pass', async () => {
    const store = countingStore();
    const gate = attemptingGate(store);
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map(async (caller) => {
        await gate.pass('bucket-0', 40);
        order.push(caller);
      }),
    );
    expect(order).toEqual([0, 1, 2, 3, 4]);
    // Unqueued, every waiter would ask again each window: 5 + 4 + 3 + 2 + 1 = 15 attempts at least.
    // Queued, two per caller after the first (9), and a timer may fire a millisecond or two before
    // the wall clock says the spacing is over (libuv times it from the loop's cached time), which
    // costs one more attempt now and then.
    expect(store.calls).toBeLessThanOrEqual(12);
  });

  it('lets a queued caller abort without blocking those behind it', async () => {
    const gate = attemptingGate(countingStore());
    await gate.pass('bucket-0', 200);
    const controller = new AbortController();
    const aborted = gate.pass('bucket-0', 200, controller.signal);
    const behind = gate.pass('bucket-0', 200);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    await expect(behind).resolves.toBeUndefined();
  });

  it('does not let a pass whose reply came late go on beside the next one', async () => {
    // Gate `slow` is granted first, but the reply to its re-stamp arrives 400 ms after the record
    // was made; meanwhile the record is 300 ms old and gate `quick`, another process, passes. Had
    // `slow` gone on when its reply came, the two would go on about 100 ms apart.
    const passes: Passes = new Map();
    const slow = attemptingGate(countingStore(passes, { slowReplies: 1, delayMs: 400 }));
    const quick = attemptingGate(countingStore(passes));
    const started = Date.now();
    const times = await Promise.all([
      slow.pass('bucket-0', 300).then(() => Date.now() - started),
      sleep(10).then(async () => {
        await quick.pass('bucket-0', 300);
        return Date.now() - started;
      }),
    ]);
    const [slowAt, quickAt] = times;
    expect(quickAt).toBeLessThan(slowAt!);
    expect(slowAt! - quickAt!).toBeGreaterThanOrEqual(300 * 0.9);
  });

  it('gives up with a clear error when every re-stamp is slow', async () => {
    const gate = attemptingGate(countingStore(new Map(), { slowReplies: 100, delayMs: 40 }));
    await expect(gate.pass('bucket-0', 100)).rejects.toThrow(
      /spaced gate "bucket-0": 20 round trips to the store in a row took over 10 ms/,
    );
  });
});
