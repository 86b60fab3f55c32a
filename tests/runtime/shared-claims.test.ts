import { describe, expect, it } from 'vitest';
import { createSharedClaims } from '../../src/runtime/shared-claims.ts';
import { openDatabase } from '../../src/storage/database.ts';
import {
  type EventDedupRepository,
  SqliteEventDedupRepository,
} from '../../src/storage/event-dedup-repository.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';

/** A store that can be switched off, as a Postgres that went away. */
function flakyStore(inner: EventDedupRepository) {
  let down = false;
  let purges = 0;
  const store: EventDedupRepository = {
    claim: (key, now, ttl) =>
      down ? Promise.reject(new Error('connection refused')) : inner.claim(key, now, ttl),
    purgeExpired: (now) => {
      purges += 1;
      return down ? Promise.reject(new Error('connection refused')) : inner.purgeExpired(now);
    },
  };
  return {
    store,
    setDown: (value: boolean) => {
      down = value;
    },
    purges: () => purges,
  };
}

describe('shared event claims', () => {
  it('falls back to this process’s memory while the store is down, and remembers what it claimed before', async () => {
    const database = openDatabase(':memory:');
    const clock = new ManualClock('2026-11-30T00:00:00Z');
    const { logger, warnings } = recordingLogger();
    const flaky = flakyStore(new SqliteEventDedupRepository(database));
    const claims = createSharedClaims({ repository: flaky.store, logger, clock });
    expect(await claims.claim('event:A', 60_000)).toBe(true);
    flaky.setDown(true);
    expect(await claims.claim('event:A', 60_000)).toBe(false);
    expect(await claims.claim('event:B', 60_000)).toBe(true);
    expect(await claims.claim('event:B', 60_000)).toBe(false);
    expect(warnings().some((line) => /event claim store unreachable/.test(line.msg))).toBe(true);
    flaky.setDown(false);
    expect(await claims.claim('event:A', 60_000)).toBe(false);
    database.close();
  });

  it('purges expired claims at most once per interval, in the background', async () => {
    const database = openDatabase(':memory:');
    const clock = new ManualClock('2026-11-30T00:00:00Z');
    const flaky = flakyStore(new SqliteEventDedupRepository(database));
    const claims = createSharedClaims({
      repository: flaky.store,
      logger: recordingLogger().logger,
      clock,
      purgeIntervalMs: 60_000,
    });
    await claims.claim('a', 1_000);
    await claims.claim('b', 1_000);
    expect(flaky.purges()).toBe(0);
    await clock.advanceBy(60_000);
    await claims.claim('c', 1_000);
    await claims.claim('d', 1_000);
    expect(flaky.purges()).toBe(1);
    expect(await claims.claim('a', 1_000)).toBe(true);
    database.close();
  });
});
