import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.ts';
import type { ClaimRequest, DigestLedger } from '../../src/trending/digest-ledger.ts';
import { ManualClock } from '../fakes/manual-clock.ts';

/** An empty ledger store: `connect` opens a ledger on a connection of its own (another process). */
export interface OpenedLedgerStore {
  connect(clock: Clock, staleAfterMs?: number): Promise<DigestLedger>;
  close(): Promise<void>;
}

const request = {
  destinationId: 'slack:C1',
  digestDate: '2026-06-02',
  paperIds: ['2606.00001'],
  coversDate: '2026-06-01',
} satisfies Omit<ClaimRequest, 'owner'>;

/**
 * The behaviour every `DigestLedger` must have, whichever engine keeps it. Call inside a describe
 * block; `open` gives an empty store for each test.
 */
export function digestLedgerContract(open: () => Promise<OpenedLedgerStore>): void {
  let store: OpenedLedgerStore;
  let clock: ManualClock;
  let a: DigestLedger;
  let b: DigestLedger;
  beforeEach(async () => {
    store = await open();
    clock = new ManualClock('2026-06-02T07:00:00Z');
    a = await store.connect(clock, 600_000);
    b = await store.connect(clock, 600_000);
  });
  afterEach(async () => store.close());

  it('gives a (destination, day) claim to one connection only', async () => {
    expect((await a.claim({ ...request, owner: 'a' })).outcome).toBe('claimed');
    expect(await b.claim({ ...request, owner: 'b' })).toMatchObject({
      outcome: 'in-doubt',
      stale: false,
      record: {
        owner: 'a',
        status: 'sending',
        attempts: 1,
        paperIds: ['2606.00001'],
        coversDate: '2026-06-01',
      },
    });
    expect(await b.hasHistory('slack:C1')).toBe(true);
    expect(await b.hasHistory('slack:C2')).toBe(false);
  });

  it('gives exactly one of two simultaneous claims from two connections the row, every time', async () => {
    for (let day = 1; day <= 20; day += 1) {
      const digestDate = `2026-07-${String(day).padStart(2, '0')}`;
      const results = await Promise.all([
        a.claim({ ...request, digestDate, owner: 'a' }),
        b.claim({ ...request, digestDate, owner: 'b' }),
      ]);
      expect(results.map((result) => result.outcome).sort()).toEqual(['claimed', 'in-doubt']);
      const winner = results.find((result) => result.outcome === 'claimed')!.record.owner;
      expect((await a.get('slack:C1', digestDate))?.owner).toBe(winner);
    }
  });

  it('uses a stable 25-character idempotency key per destination and day', async () => {
    const { record } = await a.claim({ ...request, owner: 'a' });
    expect(record.idempotencyKey).toHaveLength(25);
    expect(record.idempotencyKey).toBe(b.keyFor('slack:C1', '2026-06-02'));
    expect(a.keyFor('slack:C1', '2026-06-03')).not.toBe(record.idempotencyKey);
  });

  it('lets a stale claim be taken over by exactly one process', async () => {
    await a.claim({ ...request, owner: 'dead' });
    await clock.advanceBy(599_999);
    expect(await a.claim({ ...request, owner: 'a' })).toMatchObject({ outcome: 'in-doubt', stale: false });
    await clock.advanceBy(1);
    const seenByA = await a.claim({ ...request, owner: 'a' });
    const seenByB = await b.claim({ ...request, owner: 'b' });
    expect(seenByA).toMatchObject({ outcome: 'in-doubt', stale: true });
    const taken = await Promise.all([
      a.takeOver(seenByA.record, { owner: 'a', paperIds: ['x'], coversDate: '2026-06-01' }),
      b.takeOver(seenByB.record, { owner: 'b', paperIds: ['y'] }),
    ]);
    expect(taken.filter(Boolean)).toHaveLength(1);
    const winner = taken[0] ? 'a' : 'b';
    expect(await b.get('slack:C1', '2026-06-02')).toMatchObject({
      owner: winner,
      attempts: 2,
      paperIds: [winner === 'a' ? 'x' : 'y'],
      status: 'sending',
    });
    // The loser's view is out of date: its compare-and-swap stays refused.
    expect(await a.takeOver(seenByA.record, { owner: 'a', paperIds: [] })).toBe(false);
  });

  it('reports a sent digest as done and its papers and day as posted', async () => {
    await a.claim({ ...request, owner: 'a' });
    await clock.advanceBy(5_000);
    await a.markSent('slack:C1', '2026-06-02');
    const done = await b.claim({ ...request, owner: 'b' });
    expect(done).toMatchObject({ outcome: 'done', record: { status: 'sent' } });
    expect(Date.parse(done.record.sentAt ?? '')).toBe(Date.parse('2026-06-02T07:00:05Z'));
    expect(Date.parse(done.record.claimedAt ?? '')).toBe(Date.parse('2026-06-02T07:00:00Z'));
    expect([...(await b.postedPaperIds('slack:C1', '2026-05-26'))]).toEqual(['2606.00001']);
    expect((await b.postedPaperIds('slack:C1', '2026-05-26', '2026-06-02')).size).toBe(0);
    expect((await b.postedPaperIds('slack:C1', '2026-06-03')).size).toBe(0);
    expect(await b.hasCovered('slack:C1', '2026-06-01', '2026-06-03')).toBe(true);
    expect(await b.hasCovered('slack:C1', '2026-06-01', '2026-06-02')).toBe(false);
    expect(await b.hasCovered('slack:C2', '2026-06-01', '2026-06-03')).toBe(false);
  });

  it('treats a failed send as in doubt, to be checked before retrying', async () => {
    await a.claim({ ...request, owner: 'a' });
    await a.markFailed('slack:C1', '2026-06-02', 'someone-else', 'ignored: not the owner');
    expect((await a.get('slack:C1', '2026-06-02'))?.status).toBe('sending');
    await a.markFailed('slack:C1', '2026-06-02', 'a', 'HTTP 500');
    const seen = await b.claim({ ...request, owner: 'b' });
    expect(seen).toMatchObject({
      outcome: 'in-doubt',
      stale: true,
      record: { status: 'failed', lastError: 'HTTP 500' },
    });
    expect(await b.takeOver(seen.record, { owner: 'b', paperIds: ['z'] })).toBe(true);
    await b.markSent('slack:C1', '2026-06-02');
    expect(await a.get('slack:C1', '2026-06-02')).toMatchObject({ status: 'sent', owner: 'b', attempts: 2 });
  });

  it('records an empty day once, and never over a claim', async () => {
    expect(await a.recordEmpty('slack:C1', '2026-06-06', 'a')).toBe(true);
    expect(await b.recordEmpty('slack:C1', '2026-06-06', 'b')).toBe(false);
    expect(await b.claim({ ...request, digestDate: '2026-06-06', owner: 'b' })).toMatchObject({
      outcome: 'done',
      record: { status: 'empty', paperIds: [], owner: 'a' },
    });
    await a.claim({ ...request, owner: 'a' });
    expect(await b.recordEmpty('slack:C1', '2026-06-02', 'b')).toBe(false);
    expect((await b.get('slack:C1', '2026-06-02'))?.status).toBe('sending');
    expect(await b.get('slack:C1', '2026-06-09')).toBeUndefined();
  });
}
