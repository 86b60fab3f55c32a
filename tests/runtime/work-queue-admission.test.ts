import { describe, expect, it } from 'vitest';
import { hasCode } from '../../src/errors.ts';
import { createWorkQueue } from '../../src/runtime/work-queue.ts';
import { gate } from '../helpers/gate.ts';

describe('work queue admission by expected wait', () => {
  it('queues 200 questions that can all be answered within the bound, where a fixed length of 64 refused most', async () => {
    let clock = 0;
    // Each task "takes" 20 ms of the manual clock: 200 of them, one at a time, finish in 4 s.
    const queue = createWorkQueue({ concurrency: 1, queueSize: 1_000, maxWaitMs: 30_000, now: () => clock });
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, index) =>
        queue.run(async () => {
          clock += 20;
          return index;
        }),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(200);
    expect(queue.serviceMs).toBeCloseTo(20, 5);
  });

  it('refuses at once only what could not finish within the bound, from the measured service time', async () => {
    let clock = 0;
    const queue = createWorkQueue({ concurrency: 2, queueSize: 1_000, maxWaitMs: 10_000, now: () => clock });
    // Measure: one task of 1 s.
    await queue.run(async () => {
      clock += 1_000;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.serviceMs).toBe(1_000);
    const held = gate();
    const accepted: Promise<unknown>[] = [];
    // 2 slots, 1 s each: a task expects (tasks ahead / 2, rounded down, + 1) seconds. With 18
    // ahead it expects 10 s and is queued; with 20 ahead, 11 s, and is refused.
    for (let index = 0; index < 20; index++) accepted.push(queue.run(() => held.promise));
    expect(queue.estimatedWaitMs).toBe(11_000);
    const refused = await queue.run(() => held.promise).catch((error: unknown) => error);
    expect(hasCode(refused, 'BUSY')).toBe(true);
    expect(queue.running + queue.waiting).toBe(20);
    held.open();
    await Promise.all(accepted);
  });

  it('adapts the estimate as service time changes (moving average)', async () => {
    let clock = 0;
    const queue = createWorkQueue({ concurrency: 1, queueSize: 10, now: () => clock });
    for (const ms of [100, 200, 200, 200])
      await queue.run(async () => {
        clock += ms;
      });
    expect(queue.serviceMs).toBeGreaterThan(100);
    expect(queue.serviceMs).toBeLessThan(200);
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.running).toBe(0);
    expect(queue.estimatedWaitMs).toBe(queue.serviceMs);
  });
});
