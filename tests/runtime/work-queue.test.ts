import { describe, expect, it } from 'vitest';
import { hasCode } from '../../src/errors.ts';
import { BUSY_MESSAGE, createWorkQueue, SHUTTING_DOWN_MESSAGE } from '../../src/runtime/work-queue.ts';
import { gate } from '../helpers/gate.ts';

describe('work queue', () => {
  it('never runs more tasks at once than its concurrency', async () => {
    const queue = createWorkQueue({ concurrency: 3, queueSize: 100 });
    let active = 0;
    let peak = 0;
    const tasks = Array.from({ length: 40 }, (_, index) =>
      queue.run(async () => {
        active += 1;
        peak = Math.max(peak, active);
        await Promise.resolve();
        await new Promise((resolve) => setImmediate(resolve));
        active -= 1;
        return index;
      }),
    );
    expect(await Promise.all(tasks)).toEqual(Array.from({ length: 40 }, (_, index) => index));
    expect(peak).toBe(3);
  });

  it('rejects at once with BUSY when every slot and the wait list are full', async () => {
    const held = gate();
    const depths: [number, number][] = [];
    const queue = createWorkQueue({
      concurrency: 2,
      queueSize: 1,
      onDepthChange: (running, waiting) => depths.push([running, waiting]),
    });
    const accepted = [1, 2, 3].map(() => queue.run(() => held.promise));
    expect([queue.running, queue.waiting]).toEqual([2, 1]);
    const refused = await queue.run(async () => 'never').catch((error: unknown) => error);
    expect(hasCode(refused, 'BUSY')).toBe(true);
    expect((refused as Error).message).toBe(BUSY_MESSAGE);
    held.open();
    await Promise.all(accepted);
    expect(depths.at(-1)).toEqual([0, 0]);
    expect(await queue.run(async () => 'after')).toBe('after');
  });

  it('starts waiting tasks in arrival order', async () => {
    const held = gate();
    const order: number[] = [];
    const queue = createWorkQueue({ concurrency: 1, queueSize: 10 });
    const first = queue.run(() => held.promise);
    const rest = [1, 2, 3, 4].map((n) =>
      queue.run(async () => {
        order.push(n);
      }),
    );
    held.open();
    await Promise.all([first, ...rest]);
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('passes a task failure to its caller and keeps serving', async () => {
    const queue = createWorkQueue({ concurrency: 1, queueSize: 0 });
    await expect(queue.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(
      queue.run(() => {
        throw new Error('sync boom');
      }),
    ).rejects.toThrow('sync boom');
    expect(await queue.run(async () => 7)).toBe(7);
  });

  it('after close refuses new tasks but finishes accepted ones, and drain reports it', async () => {
    const held = gate();
    const queue = createWorkQueue({ concurrency: 1, queueSize: 5 });
    const running = queue.run(() => held.promise.then(() => 'done'));
    const waiting = queue.run(async () => 'waited');
    queue.close();
    const refused = await queue.run(async () => 'x').catch((error: unknown) => error);
    expect(hasCode(refused, 'BUSY')).toBe(true);
    expect((refused as Error).message).toBe(SHUTTING_DOWN_MESSAGE);
    const drained = queue.drain(60_000);
    held.open();
    expect(await drained).toBe(true);
    expect(await running).toBe('done');
    expect(await waiting).toBe('waited');
  });

  it('aborts running tasks and refuses waiting ones when the drain deadline passes', async () => {
    const queue = createWorkQueue({ concurrency: 1, queueSize: 5 });
    const running = queue.run(
      (signal) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
        ),
    );
    const waiting = queue.run(async () => 'never started');
    queue.close();
    expect(await queue.drain(20)).toBe(false);
    const [runningError, waitingError] = await Promise.all([
      running.catch((error: unknown) => error),
      waiting.catch((error: unknown) => error),
    ]);
    expect(hasCode(runningError, 'SHUTDOWN')).toBe(true);
    expect(hasCode(waitingError, 'BUSY')).toBe(true);
  });

  it('drains at once when idle', async () => {
    expect(await createWorkQueue({ concurrency: 1, queueSize: 0 }).drain(0)).toBe(true);
  });
});
