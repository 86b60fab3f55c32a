import { afterEach, describe, expect, it } from 'vitest';
import { createDigestLedger } from '../../src/trending/digest-ledger.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { tempDatabase } from './trending-fixtures.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function twoConnections() {
  const store = tempDatabase();
  cleanups.push(store.cleanup);
  const clock = new ManualClock('2026-06-02T07:00:00Z');
  return {
    clock,
    a: createDigestLedger(store.open(), { clock, staleAfterMs: 600_000 }),
    b: createDigestLedger(store.open(), { clock, staleAfterMs: 600_000 }),
  };
}

const request = {
  destinationId: 'slack:C1',
  digestDate: '2026-06-02',
  paperIds: ['2606.00001'],
  coversDate: '2026-06-01',
};

describe('digest ledger', () => {
  it('gives a (destination, day) claim to one connection only', () => {
    const { a, b } = twoConnections();
    expect(a.claim({ ...request, owner: 'a' }).outcome).toBe('claimed');
    const second = b.claim({ ...request, owner: 'b' });
    expect(second).toMatchObject({
      outcome: 'in-doubt',
      stale: false,
      record: { owner: 'a', status: 'sending' },
    });
  });

  it('uses a stable 25-character idempotency key per destination and day', () => {
    const { a } = twoConnections();
    const { record } = a.claim({ ...request, owner: 'a' });
    expect(record.idempotencyKey).toHaveLength(25);
    expect(record.idempotencyKey).toBe(a.keyFor('slack:C1', '2026-06-02'));
    expect(a.keyFor('slack:C1', '2026-06-03')).not.toBe(record.idempotencyKey);
  });

  it('lets a stale claim be taken over by exactly one process', async () => {
    const { a, b, clock } = twoConnections();
    a.claim({ ...request, owner: 'dead' });
    await clock.advanceBy(600_000);
    const seenByA = a.claim({ ...request, owner: 'a' });
    const seenByB = b.claim({ ...request, owner: 'b' });
    expect(seenByA).toMatchObject({ outcome: 'in-doubt', stale: true });
    expect(a.takeOver(seenByA.record, { owner: 'a', paperIds: ['x'] })).toBe(true);
    expect(b.takeOver(seenByB.record, { owner: 'b', paperIds: ['y'] })).toBe(false);
    expect(b.get('slack:C1', '2026-06-02')).toMatchObject({ owner: 'a', attempts: 2, paperIds: ['x'] });
  });

  it('reports a sent digest as done and its papers and day as posted', () => {
    const { a, b } = twoConnections();
    a.claim({ ...request, owner: 'a' });
    a.markSent('slack:C1', '2026-06-02');
    expect(b.claim({ ...request, owner: 'b' }).outcome).toBe('done');
    expect([...b.postedPaperIds('slack:C1', '2026-05-26')]).toEqual(['2606.00001']);
    expect(b.postedPaperIds('slack:C1', '2026-06-03').size).toBe(0);
    expect(b.hasCovered('slack:C1', '2026-06-01', '2026-06-03')).toBe(true);
    expect(b.hasCovered('slack:C2', '2026-06-01', '2026-06-03')).toBe(false);
  });

  it('treats a failed send as in doubt, to be checked before retrying', () => {
    const { a } = twoConnections();
    a.claim({ ...request, owner: 'a' });
    a.markFailed('slack:C1', '2026-06-02', 'a', 'HTTP 500');
    expect(a.claim({ ...request, owner: 'a' })).toMatchObject({
      outcome: 'in-doubt',
      stale: true,
      record: { status: 'failed', lastError: 'HTTP 500' },
    });
  });
});
