import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import type { SqliteDatabase } from '../../src/storage/database.ts';
import { createDigestLedger } from '../../src/trending/digest-ledger.ts';
import { createDigestScheduler, type DigestSchedulerOptions } from '../../src/trending/digest-scheduler.ts';
import { addDays, localDay } from '../../src/trending/schedule-time.ts';
import { createTrendingService } from '../../src/trending/trending-service.ts';
import type { DigestDestination } from '../../src/trending/types.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { RecordingDigestSender } from '../fakes/recording-digest-sender.ts';
import { gate } from '../helpers/gate.ts';
import { dayOfPapers, insertPapers, tempDatabase } from './trending-fixtures.ts';

const weekdays: DigestDestination = {
  id: 'discord:berlin',
  platform: 'discord',
  channelId: 'berlin',
  cron: '0 9 * * 1-5',
  timeZone: 'Europe/Berlin',
  limit: 3,
};

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Inserts `count` synthetic papers for every weekday from `from` to `to`. */
function insertWeekdays(database: SqliteDatabase, from: string, to: string, count = 6): void {
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) insertPapers(database, dayOfPapers(day, count));
  }
}

function harness(start: string) {
  const store = tempDatabase();
  cleanups.push(store.cleanup);
  const clock = new ManualClock(start);
  const sender = new RecordingDigestSender('discord', () => clock.now());
  const scheduler = (
    destinations: DigestDestination[],
    database: SqliteDatabase = store.database,
    extra: Partial<DigestSchedulerOptions> = {},
  ) =>
    createDigestScheduler({
      trending: createTrendingService({ database, clock }),
      ledger: createDigestLedger(database, { clock }),
      destinations: () => destinations,
      senders: [sender],
      clock,
      timer: clock,
      logger: silentLogger(),
      ...extra,
    });
  return { store, clock, sender, scheduler };
}

const berlinTime = (instant: number) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(instant);

describe('digest scheduler', () => {
  it.each([
    {
      change: 'spring forward (2026-03-29)',
      start: '2026-03-26T12:00:00Z',
      end: '2026-03-31T12:00:00Z',
      runs: ['2026-03-27T08:00:00.000Z', '2026-03-30T07:00:00.000Z', '2026-03-31T07:00:00.000Z'],
      covered: ['2026-03-26', '2026-03-27', '2026-03-30'],
    },
    {
      change: 'fall back (2026-10-25)',
      start: '2026-10-22T12:00:00Z',
      end: '2026-10-27T12:00:00Z',
      runs: ['2026-10-23T07:00:00.000Z', '2026-10-26T08:00:00.000Z', '2026-10-27T08:00:00.000Z'],
      covered: ['2026-10-22', '2026-10-23', '2026-10-26'],
    },
  ])('posts weekdays at 09:00 Berlin time across the DST $change', async ({ start, end, runs, covered }) => {
    const { store, clock, sender, scheduler } = harness(start);
    insertWeekdays(store.database, addDays(start.slice(0, 10), -3), end.slice(0, 10));
    const running = scheduler([weekdays]);
    running.start();
    await clock.advanceTo(end);
    await running.stop();

    const sends = sender.sends();
    expect(sends.map((call) => new Date(call.at!).toISOString())).toEqual(runs);
    for (const call of sends) expect(berlinTime(call.at!)).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:00$/);
    // Each run covers the last complete Daily-Papers day, three papers each.
    expect(sends.map((call) => call.digest!.date)).toEqual(covered);
    for (const call of sends) expect(call.digest!.items).toHaveLength(3);
  });

  it('posts nothing on an empty day, or the configured note', async () => {
    const { store, clock, sender, scheduler } = harness('2026-07-31T12:00:00Z');
    insertPapers(store.database, dayOfPapers('2026-07-31', 4));
    const daily = { ...weekdays, cron: '0 9 * * *' };
    const silent = { ...daily, id: 'discord:silent', channelId: 'silent' };
    const noted = { ...daily, id: 'discord:noted', channelId: 'noted', emptyNote: 'No new papers today.' };
    const running = scheduler([silent, noted]);
    running.start();
    await clock.advanceTo('2026-08-03T12:00:00Z'); // Sat covers Fri; Sun and Mon have nothing new
    await running.stop();

    const toSilent = sender.sends().filter((call) => call.destinationId === 'discord:silent');
    expect(toSilent.map((call) => call.digest!.date)).toEqual(['2026-07-31']);
    const toNoted = sender.sends().filter((call) => call.destinationId === 'discord:noted');
    expect(toNoted.map((call) => [call.digest!.items.length, call.digest!.note])).toEqual([
      [3, undefined],
      [0, 'No new papers today.'],
      [0, 'No new papers today.'],
    ]);
    const statuses = store.database
      .prepare(
        "SELECT digest_date, status FROM digests WHERE destination_id = 'discord:silent' ORDER BY digest_date",
      )
      .all();
    expect(statuses).toEqual([
      { digest_date: '2026-08-01', status: 'sent' },
      { digest_date: '2026-08-02', status: 'empty' },
      { digest_date: '2026-08-03', status: 'empty' },
    ]);
  });

  it('catches up once after a 3-day outage, not once per missed day', async () => {
    const { store, clock, sender, scheduler } = harness('2026-06-01T06:00:00Z');
    insertWeekdays(store.database, '2026-05-28', '2026-06-12');
    const before = scheduler([weekdays]);
    before.start();
    await clock.advanceTo('2026-06-02T12:00:00Z');
    await before.stop();
    expect(sender.sends()).toHaveLength(2);

    // Down Wednesday to Friday noon: runs on 06-03, 06-04 and 06-05 were missed.
    await clock.advanceTo('2026-06-05T12:00:00Z');
    const after = scheduler([weekdays], store.open());
    after.start();
    await clock.advanceTo('2026-06-05T12:30:00Z');
    const caughtUp = sender.sends().slice(2);
    expect(caughtUp).toHaveLength(1);
    expect(caughtUp[0]!.at).toBe(Date.parse('2026-06-05T12:00:00Z'));
    expect(caughtUp[0]!.digest!.date).toBe('2026-06-04');

    await clock.advanceTo('2026-06-08T12:00:00Z');
    await after.stop();
    expect(sender.sends().map((call) => call.digest!.date)).toEqual([
      '2026-05-29',
      '2026-06-01',
      '2026-06-04',
      '2026-06-05',
    ]);
  });

  it('does not repeat a paper posted to the destination within K days', async () => {
    const { store, clock, sender, scheduler } = harness('2026-06-02T07:00:00Z');
    const [first, second, third] = dayOfPapers('2026-06-01', 3);
    insertPapers(store.database, [first!, second!, third!]);
    const running = scheduler([{ ...weekdays, limit: 2 }], store.database, { repeatWindowDays: 7 });
    await running.tick();
    expect(sender.sends()[0]!.digest!.items.map((item) => item.paperId)).toEqual([first!.id, second!.id]);

    // The first paper is resubmitted to the next day's list, with the most votes.
    const next = dayOfPapers('2026-06-02', 2);
    insertPapers(store.database, [
      ...next,
      { ...first!, dailyPapersAt: '2026-06-02T00:00:00.000Z', upvotes: 999 },
    ]);
    await clock.advanceTo('2026-06-03T07:00:00Z');
    await running.tick();
    expect(sender.sends()[1]!.digest!.items.map((item) => item.paperId)).toEqual(
      next.map((paper) => paper.id),
    );
  });

  it('never posts twice when the process crashes between sending and recording', async () => {
    const { store, clock, sender, scheduler } = harness('2026-06-02T07:00:00Z');
    insertWeekdays(store.database, '2026-05-28', '2026-06-12');
    const crashing = store.open();
    sender.afterDelivery = () => crashing.close(); // the process dies right after the post
    await scheduler([weekdays], crashing).tick();
    sender.afterDelivery = undefined;
    expect(sender.sends()).toHaveLength(1);
    const row = () =>
      store.database.prepare("SELECT status FROM digests WHERE digest_date = '2026-06-02'").get();
    expect(row()).toEqual({ status: 'sending' });

    await clock.advanceBy(60_000);
    const restarted = scheduler([weekdays], store.open());
    restarted.start();
    await clock.advanceTo('2026-06-05T12:00:00Z');
    await restarted.stop();

    expect(row()).toEqual({ status: 'sent' });
    expect(sender.calls.filter((call) => call.kind === 'wasDelivered').length).toBeGreaterThan(0);
    const keys = sender.sends().map((call) => call.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(sender.sends().map((call) => call.digest!.date)).toEqual([
      '2026-06-01',
      '2026-06-02',
      '2026-06-03',
      '2026-06-04',
    ]);
  });

  it('takes over a claim left by a dead process only when stale and undelivered, posting it once', async () => {
    const { store, clock, sender, scheduler } = harness('2026-06-02T07:00:00Z');
    insertWeekdays(store.database, '2026-05-28', '2026-06-05');
    const ledger = createDigestLedger(store.database, { clock });
    await ledger.claim({
      destinationId: weekdays.id,
      digestDate: '2026-06-02',
      paperIds: [],
      owner: 'dead-process',
    });

    const restarted = scheduler([weekdays], store.open(), { retryDelayMs: 60_000 });
    restarted.start();
    await clock.advanceTo('2026-06-02T07:09:00Z');
    expect(sender.sends()).toHaveLength(0); // the claimer might still be sending
    await clock.advanceTo('2026-06-02T07:30:00Z');
    await restarted.stop();
    expect(sender.sends()).toHaveLength(1);
    expect(sender.sends()[0]!.at).toBeGreaterThanOrEqual(Date.parse('2026-06-02T07:10:00Z'));
    expect((await ledger.get(weekdays.id, '2026-06-02'))?.status).toBe('sent');
  });

  it('retries a failed send after checking it did not arrive', async () => {
    const { store, clock, sender, scheduler } = harness('2026-06-02T06:00:00Z');
    insertWeekdays(store.database, '2026-05-28', '2026-06-05');
    sender.failures.push(new Error('HTTP 503'));
    const running = scheduler([weekdays], store.database, { retryDelayMs: 60_000 });
    running.start();
    await clock.advanceTo('2026-06-02T07:05:00Z');
    await running.stop();
    expect(sender.calls.map((call) => [call.kind, new Date(call.at!).toISOString()])).toEqual([
      ['send', '2026-06-02T07:00:00.000Z'],
      ['wasDelivered', '2026-06-02T07:01:00.000Z'],
      ['send', '2026-06-02T07:01:00.000Z'],
    ]);
    expect(sender.delivered).toHaveLength(1);
  });

  it('posts once when two schedulers share one database file', async () => {
    const { store, clock, sender, scheduler } = harness('2026-06-01T06:00:00Z');
    insertWeekdays(store.database, '2026-05-28', '2026-06-12');
    const first = scheduler([weekdays], store.open());
    const second = scheduler([weekdays], store.open());
    first.start();
    second.start();
    await clock.advanceTo('2026-06-05T12:00:00Z');
    await first.stop();
    await second.stop();
    expect(sender.sends()).toHaveLength(5);

    // Both processes wake at the same instant; the first one's post is still in flight.
    await clock.advanceTo('2026-06-08T07:00:00Z');
    const a = scheduler([weekdays], store.open());
    const b = scheduler([weekdays], store.open());
    const held = gate();
    sender.gate = held.promise;
    const inFlight = a.tick();
    await vi.waitFor(() => expect(sender.sends()).toHaveLength(6));
    expect((await b.tick()).map((report) => report.outcome)).toEqual(['busy']);
    held.open();
    expect((await inFlight).map((report) => report.outcome)).toEqual(['sent']);
    expect(await b.tick()).toEqual([]);

    const runDays = sender.sends().map((call) => localDay(call.at!, 'Europe/Berlin'));
    expect(runDays).toEqual([
      '2026-06-01',
      '2026-06-02',
      '2026-06-03',
      '2026-06-04',
      '2026-06-05',
      '2026-06-08',
    ]);
    expect(sender.delivered).toHaveLength(6);
  });

  it('sends a topic-filtered destination only papers on its topic', async () => {
    const { store, sender, scheduler } = harness('2026-06-02T07:00:00Z');
    insertPapers(
      store.database,
      dayOfPapers('2026-06-01', 5, [
        { title: 'Sparse autoencoders for interpretability' },
        { title: 'Video diffusion at scale' },
        { abstract: 'We study mechanistic interpretability of attention heads.' },
        { title: 'Faster tokenizers' },
        { aiKeywords: ['Interpretability', 'probing'] },
      ]),
    );
    await scheduler([{ ...weekdays, limit: 5, topic: { keywords: ['interpretability'] } }]).tick();
    const items = sender.sends()[0]!.digest!.items;
    expect(items.map((item) => item.rank)).toEqual([1, 2, 3]);
    expect(items.map((item) => item.paperId)).toEqual(['2606.10100', '2606.10102', '2606.10104']);
  });
});
