/**
 * Resolves when `condition` returns something other than undefined/false, checking after every
 * turn of the event loop and at least every 5 ms; rejects after `timeoutMs`.
 */
export async function waitFor<T>(condition: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
