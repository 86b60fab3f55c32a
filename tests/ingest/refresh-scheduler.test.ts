import { describe, expect, it } from 'vitest';
import { createRefreshScheduler } from '../../src/ingest/refresh-scheduler.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';

describe('createRefreshScheduler', () => {
  it('runs at start and then every interval', async () => {
    const clock = new ManualClock('2026-06-12T00:00:00Z');
    let runs = 0;
    const scheduler = createRefreshScheduler({
      intervalMinutes: 30,
      timer: clock,
      run: async () => {
        runs++;
      },
    });
    scheduler.start();
    await scheduler.runNow();
    expect(runs).toBe(1);
    await clock.advanceBy(29 * 60_000);
    expect(runs).toBe(1);
    await clock.advanceBy(60_000);
    expect(runs).toBe(2);
    await clock.advanceBy(60 * 60_000);
    expect(runs).toBe(4);
    await scheduler.stop();
    await clock.advanceBy(120 * 60_000);
    expect(runs).toBe(4);
    expect(clock.pendingTimers).toBe(0);
  });

  it('is off when the interval is 0', async () => {
    const clock = new ManualClock(0);
    let runs = 0;
    const scheduler = createRefreshScheduler({
      intervalMinutes: 0,
      timer: clock,
      run: async () => void runs++,
    });
    scheduler.start();
    await clock.advanceBy(24 * 60 * 60_000);
    expect(runs).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('never overlaps runs: a run requested during one joins it', async () => {
    const clock = new ManualClock(0);
    let runs = 0;
    let release = () => {};
    const scheduler = createRefreshScheduler({
      intervalMinutes: 1,
      timer: clock,
      runAtStart: false,
      run: () => {
        runs++;
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    const first = scheduler.runNow();
    const second = scheduler.runNow();
    expect(scheduler.running).toBe(true);
    expect(runs).toBe(1);
    release();
    await Promise.all([first, second]);
    expect(scheduler.running).toBe(false);
  });

  it('logs a failed run and keeps the schedule', async () => {
    const clock = new ManualClock(0);
    const { logger, lines } = recordingLogger();
    let runs = 0;
    const scheduler = createRefreshScheduler({
      intervalMinutes: 5,
      timer: clock,
      logger,
      run: async () => {
        runs++;
        throw new Error('HF is down');
      },
    });
    scheduler.start();
    await scheduler.runNow();
    await clock.advanceBy(5 * 60_000);
    expect(runs).toBe(2);
    const errors = lines.filter((line) => line.level === 50);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ error: 'HF is down' });
    await scheduler.stop();
  });
});
