/** Time source, injected so schedules and timeouts can be tested with a controllable clock. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Timers, injected with the Clock so schedules can be driven in tests without waiting. A callback
 * may return a promise; test timers await it before firing the next one.
 */
export interface Timer {
  /** Calls `callback` after `delayMs` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => unknown, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers. Handles are unref'd: a pending digest never keeps a process alive on its own. */
export const systemTimer: Timer = {
  setTimeout(callback, delayMs) {
    const handle = setTimeout(() => void callback(), delayMs);
    handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
