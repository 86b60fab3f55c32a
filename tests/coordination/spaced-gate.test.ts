import { describe, expect, it } from 'vitest';
import { attemptingGate, type PassAttempt } from '../../src/coordination/spaced-gate.ts';

/** An in-memory store's attempt that counts how often it was asked. */
function countingAttempt(): PassAttempt & { calls: number } {
  const lastPass = new Map<string, number>();
  const attempt = Object.assign(
    async (name: string, spacingMs: number) => {
      attempt.calls++;
      const now = Date.now();
      const last = lastPass.get(name);
      if (last !== undefined && now - last < spacingMs) return last + spacingMs - now;
      lastPass.set(name, now);
      return 0;
    },
    { calls: 0 },
  );
  return attempt;
}

describe('attemptingGate', () => {
  it('queues callers of one name in this process, so the store is asked about once per pass', async () => {
    const attempt = countingAttempt();
    const gate = attemptingGate(attempt);
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map(async (caller) => {
        await gate.pass('bucket-0', 40);
        order.push(caller);
      }),
    );
    expect(order).toEqual([0, 1, 2, 3, 4]);
    // Unqueued, every waiter would ask again each window: 5 + 4 + 3 + 2 + 1 = 15 attempts at least.
    expect(attempt.calls).toBeLessThanOrEqual(10);
  });

  it('lets a queued caller abort without blocking those behind it', async () => {
    const gate = attemptingGate(countingAttempt());
    await gate.pass('bucket-0', 200);
    const controller = new AbortController();
    const aborted = gate.pass('bucket-0', 200, controller.signal);
    const behind = gate.pass('bucket-0', 200);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    await expect(behind).resolves.toBeUndefined();
  });
});
