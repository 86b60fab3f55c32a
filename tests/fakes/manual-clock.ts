import type { Clock, Timer } from '../../src/clock.ts';

interface Pending {
  id: number;
  at: number;
  callback: () => unknown;
}

/**
 * A controllable clock and timer: time moves only when a test advances it, firing due timers in
 * order and awaiting each callback's promise before the next one.
 */
export class ManualClock implements Clock, Timer {
  private current: number;
  private pending: Pending[] = [];
  private nextId = 1;

  constructor(start: number | string) {
    this.current = typeof start === 'string' ? Date.parse(start) : start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => unknown, delayMs: number): unknown {
    const id = this.nextId++;
    this.pending.push({ id, at: this.current + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((timer) => timer.id !== handle);
  }

  /** Number of timers waiting to fire. */
  get pendingTimers(): number {
    return this.pending.length;
  }

  /** Moves time to `target`, firing every timer due on the way. */
  async advanceTo(target: number | string): Promise<void> {
    const end = typeof target === 'string' ? Date.parse(target) : target;
    for (let fired = 0; ; fired++) {
      if (fired > 100_000)
        throw new Error('ManualClock: timers keep rescheduling themselves at the same instant');
      const due = this.pending
        .filter((timer) => timer.at <= end)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.pending = this.pending.filter((timer) => timer !== due);
      this.current = Math.max(this.current, due.at);
      await due.callback();
    }
    this.current = Math.max(this.current, end);
  }

  async advanceBy(ms: number): Promise<void> {
    await this.advanceTo(this.current + ms);
  }
}
