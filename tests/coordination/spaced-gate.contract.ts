import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SpacedGate } from '../../src/coordination/spaced-gate.ts';

/** A gate on an empty store, and how to dispose of it. */
export interface OpenedGate {
  gate: SpacedGate;
  /** A second gate on the same store, as another process would open it. */
  other: SpacedGate;
  close(): Promise<void>;
}

const SPACING_MS = 300;
/** How much earlier than the spacing a pass may be seen here: a pass is confirmed by a reply within 10% of the spacing. */
const CLOCK_SLACK_MS = 30;

/**
 * The behaviour every `SpacedGate` must have, whichever store records the passes. Call inside a
 * describe block; `open` gives gates on an empty store for each test.
 */
export function spacedGateContract(open: () => Promise<OpenedGate>): void {
  let opened: OpenedGate;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(async () => opened.close());

  const timedPass = async (gate: SpacedGate, name: string, signal?: AbortSignal) => {
    await gate.pass(name, SPACING_MS, signal);
    return Date.now();
  };

  it('passes a name never passed before at once', async () => {
    const started = Date.now();
    await opened.gate.pass('fresh', 60_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('lets concurrent callers of two gates on one store through one at a time, the spacing apart', async () => {
    // The times are read in this process when each pass resolves: while its event loop is blocked
    // (a loaded machine), replies granted the spacing apart queue up and resolve together, so the
    // longest block seen is slack too.
    const blocked = monitorEventLoopDelay({ resolution: 10 });
    blocked.enable();
    const times = await Promise.all([
      timedPass(opened.gate, 'bucket-0'),
      timedPass(opened.other, 'bucket-0'),
      timedPass(opened.gate, 'bucket-0'),
      timedPass(opened.other, 'bucket-0'),
    ]);
    blocked.disable();
    const blockedMs = blocked.max / 1e6;
    const sorted = [...times].sort((a, b) => a - b);
    for (let position = 1; position < sorted.length; position++) {
      expect(sorted[position]! - sorted[position - 1]!).toBeGreaterThanOrEqual(
        SPACING_MS - CLOCK_SLACK_MS - blockedMs,
      );
    }
    // All four together take at least three spacings, whatever the loop did.
    expect(sorted.at(-1)! - sorted[0]!).toBeGreaterThanOrEqual(3 * SPACING_MS - CLOCK_SLACK_MS - blockedMs);
  });

  it('does not make one name wait for another', async () => {
    await opened.gate.pass('bucket-0', 60_000);
    const started = Date.now();
    await opened.other.pass('bucket-1', 60_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('rejects an aborted wait with AbortError and records no pass for it', async () => {
    const first = await timedPass(opened.gate, 'aborted');
    const controller = new AbortController();
    const waiting = opened.other.pass('aborted', SPACING_MS, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    // The aborted caller took no slot: the next caller passes one spacing after the first pass.
    const next = await timedPass(opened.other, 'aborted');
    expect(next - first).toBeGreaterThanOrEqual(SPACING_MS - CLOCK_SLACK_MS);
    expect(next - first).toBeLessThan(2 * SPACING_MS);
  });

  it('refuses a spacing that is not a positive integer, naming it', async () => {
    await expect(opened.gate.pass('bad', 0)).rejects.toThrow(/spacingMs must be a positive integer, got 0/);
  });
}
