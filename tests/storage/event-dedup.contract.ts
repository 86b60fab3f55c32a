import { expect, it } from 'vitest';
import type { EventDedupRepository } from '../../src/storage/event-dedup-repository.ts';
import { openForEachTest } from './contract-setup.ts';

/** An empty repository (or several handles on one store, as replicas have) and how to dispose of it. */
export interface OpenedEventDedup {
  /** Handles on one shared store; the contract uses two when the backend can give them. */
  repositories: EventDedupRepository[];
  close(): Promise<void>;
}

/** The behaviour every `EventDedupRepository` must have, whichever engine stores the claims. */
export function eventDedupContract(open: () => Promise<OpenedEventDedup>): void {
  let opened: OpenedEventDedup;
  let repository: EventDedupRepository;
  openForEachTest(open, (value) => {
    opened = value;
    repository = value.repositories[0]!;
  });

  it('grants a key once while its claim lives, and again after it expired', async () => {
    expect(await repository.claim('event:Ev1', 1_000, 500)).toBe(true);
    expect(await repository.claim('event:Ev1', 1_200, 500)).toBe(false);
    expect(await repository.claim('event:Ev1', 1_499, 500)).toBe(false);
    expect(await repository.claim('event:Ev2', 1_200, 500)).toBe(true);
    expect(await repository.claim('event:Ev1', 1_500, 500)).toBe(true);
    expect(await repository.claim('event:Ev1', 1_600, 500)).toBe(false);
  });

  it('gives exactly one of many concurrent claims on one key, across handles', async () => {
    for (let round = 0; round < 20; round++) {
      const key = `event:race-${round}`;
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          opened.repositories[index % opened.repositories.length]!.claim(key, 10_000, 60_000),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    }
  });

  it('purges only expired claims', async () => {
    await repository.claim('old', 1_000, 100);
    await repository.claim('live', 1_000, 10_000);
    expect(await repository.purgeExpired(2_000)).toBe(1);
    expect(await repository.claim('live', 2_000, 100)).toBe(false);
    expect(await repository.claim('old', 2_000, 100)).toBe(true);
  });

  it('keeps epoch milliseconds of today exactly (no rounding through a date type)', async () => {
    const now = Date.UTC(2026, 10, 30, 3, 0, 0, 123);
    expect(await repository.claim('sig', now, 300_000)).toBe(true);
    expect(await repository.claim('sig', now + 299_999, 300_000)).toBe(false);
    expect(await repository.claim('sig', now + 300_000, 300_000)).toBe(true);
  });
}
