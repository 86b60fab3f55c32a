import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSubscribeText, SUBSCRIBE_USAGE } from '../../adapters/slack/subscribe-command.ts';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { silentLogger } from '../../src/logger.ts';
import { createDigestRunner } from '../../src/trending/digest-runner.ts';
import { createTrendingService } from '../../src/trending/trending-service.ts';
import { FakeBot } from '../fakes/fake-bot.ts';
import { waitFor } from '../fakes/fake-slack.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { dayOfPapers, insertPapers, tempDatabase } from '../trending/trending-fixtures.ts';
import { FORM, type Harness, signedPost, slashCommand, startHarness } from './slack-harness.ts';

let harness: Harness | undefined;
const cleanups: (() => void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Posts a signed slash command to the HTTP-mode adapter; returns the ack. */
async function command(name: string, text: string, responseId = name) {
  const form = new URLSearchParams(slashCommand(name, text, harness!.slack.responseUrl(responseId)));
  const ack = await signedPost(harness!.endpoint, form.toString(), { contentType: FORM });
  expect(ack.status).toBe(200);
  return ack.text ? (JSON.parse(ack.text) as Record<string, unknown>) : {};
}

describe('parseSubscribeText (Slack’s text form of the /subscribe options)', () => {
  it('reads each option up to the next one', () => {
    expect(parseSubscribeText('topic: reinforcement learning hour: 9 time_zone: Europe/Berlin')).toEqual({
      topic: 'reinforcement learning',
      hour: 9,
      timeZone: 'Europe/Berlin',
    });
    expect(parseSubscribeText('cron: 30 8 * * 1-5 limit:3 timezone:Asia/Tokyo')).toEqual({
      cron: '30 8 * * 1-5',
      limit: 3,
      timeZone: 'Asia/Tokyo',
    });
    expect(parseSubscribeText('  ')).toEqual({});
  });

  it.each([
    ['robotics', '"robotics" is not an option'],
    ['topic: a hour: 7 topic: b', '`topic:` is given twice'],
    ['hour: nine', '`hour:` must be a whole number (got "nine")'],
    ['limit: 2.5', '`limit:` must be a whole number (got "2.5")'],
    ['topic:   hour: 7', '`topic:` has no value'],
  ])('refuses %j, saying what to fix', (text, message) => {
    expect(parseSubscribeText(text)).toEqual({ problem: expect.stringContaining(message) });
  });
});

describe('Slack /subscribe and /unsubscribe (real Bolt, fake Slack)', () => {
  it('subscribes the channel with its workspace, then unsubscribes it', async () => {
    harness = await startHarness(new FakeBot(), 'http');
    expect(
      await command('/subscribe', 'topic: reinforcement learning hour: 9 time_zone: Europe/Berlin'),
    ).toEqual({});
    const reply = await waitFor(() => harness!.slack.responses[0]);
    expect(reply.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(reply.body.text)).toContain(
      'Subscribed: this channel gets the digest on "reinforcement learning" on schedule `0 9 * * 1-5` (Europe/Berlin)',
    );
    expect(await harness.subscriptions.list()).toEqual([
      {
        destinationId: 'slack:C100',
        platform: 'slack',
        channelId: 'C100',
        teamId: 'T0001',
        cron: '0 9 * * 1-5',
        timeZone: 'Europe/Berlin',
        topic: 'reinforcement learning',
        createdBy: 'U111',
        createdAt: expect.any(String),
      },
    ]);

    await command('/unsubscribe', '');
    const removed = await waitFor(() => harness!.slack.responses[1]);
    expect(String(removed.body.text)).toContain('Unsubscribed');
    expect(await harness.subscriptions.list()).toEqual([]);
    // Other bytes than the first /unsubscribe: identical signed bytes would be dropped as a replay.
    await command('/unsubscribe', '', 'unsubscribe-again');
    const none = await waitFor(() => harness!.slack.responses[2]);
    expect(String(none.body.text)).toContain('This channel has no digest subscription');
  });

  it('replaces the subscription when the channel subscribes again, defaults included', async () => {
    harness = await startHarness(new FakeBot(), 'http');
    await command('/subscribe', 'topic: robotics limit: 3');
    await waitFor(() => harness!.slack.responses[0]);
    await command('/subscribe', '');
    await waitFor(() => harness!.slack.responses[1]);
    const [only, ...rest] = await harness.subscriptions.list();
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ destinationId: 'slack:C100', cron: '0 9 * * 1-5', timeZone: 'UTC' });
    expect(only?.topic).toBeUndefined();
  });

  it.each([
    ['hour: 25', '`hour:` must be a whole hour from 0 to 23 (got 25)'],
    ['time_zone: Mars/Olympus', '`time_zone:` "Mars/Olympus" is not an IANA time zone'],
    ['cron: every morning', 'not a valid cron expression'],
    ['hour: 7 cron: 0 9 * * *', 'either `hour:` or `cron:`'],
    ['limit: 500', '`limit:` must be from 1 to 50'],
    ['every weekday please', 'is not an option'],
    ['topic: <!channel> hour: x', '`hour:` must be a whole number'],
  ])('answers %j with what to fix and the usage, in the ack, and saves nothing', async (text, message) => {
    harness = await startHarness(new FakeBot(), 'http');
    const ack = await command('/subscribe', text);
    expect(ack).toMatchObject({ response_type: 'ephemeral' });
    expect(String(ack.text)).toContain(message);
    expect(String(ack.text)).toContain(SUBSCRIBE_USAGE);
    expect(String(ack.text)).not.toContain('<!channel>');
    expect(await harness.subscriptions.list()).toEqual([]);
    expect(harness.slack.responses).toEqual([]);
  });

  it('works over Socket Mode too', async () => {
    harness = await startHarness(new FakeBot(), 'socket');
    await waitFor(() => harness!.slack.socketConnected);
    const envelope = harness.slack.sendEnvelope(
      'slash_commands',
      slashCommand('/subscribe', 'hour: 6', harness.slack.responseUrl('socket')),
    );
    await waitFor(() => harness!.slack.acks.has(envelope));
    await waitFor(() => harness!.slack.responses[0]);
    expect(await harness.subscriptions.list()).toMatchObject([
      { destinationId: 'slack:C100', cron: '0 6 * * 1-5' },
    ]);
  });

  it('gets the channel its digest: the runner reads the subscription and posts through the Slack adapter', async () => {
    harness = await startHarness(new FakeBot(), 'http');
    await command('/subscribe', 'hour: 9 time_zone: Europe/Berlin limit: 2');
    await waitFor(() => harness!.slack.responses[0]);

    const store = tempDatabase();
    cleanups.push(store.cleanup);
    insertPapers(store.database, dayOfPapers('2026-06-01', 3));
    const clock = new ManualClock('2026-06-02T06:00:00Z');
    const runner = createDigestRunner({
      database: store.database,
      subscriptions: harness.subscriptions,
      trending: createTrendingService({ database: store.database, clock }),
      senders: [harness.adapter.digestSender],
      logger: silentLogger(),
      clock,
      timer: clock,
    });
    runner.start();
    await clock.advanceTo('2026-06-02T07:30:00Z');
    await runner.stop();
    const posts = harness.slack.callsOf('chat.postMessage');
    expect(posts.map((post) => post.args.channel)).toEqual(['C100']);
    expect(JSON.stringify(posts[0]?.args.blocks)).toContain('2026-06-01');
  });
});

describe('the Slack app manifest', () => {
  it.each(['manifest.yml', 'manifest-http.yml'])(
    '%s declares every slash command the adapter handles, /subscribe and /unsubscribe included',
    (file) => {
      const dir = join(PACKAGE_ROOT, 'adapters', 'slack');
      const handled = new Set<string>();
      for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
        const source = readFileSync(join(dir, file), 'utf8');
        for (const match of source.matchAll(/(?:app\.command\(|name: )'(\/[a-z]+)'/g)) handled.add(match[1]!);
      }
      const manifest = readFileSync(join(dir, file), 'utf8');
      const declared = [...manifest.matchAll(/- command: (\/[a-z]+)/g)].map((match) => match[1]);
      expect(handled).toContain('/subscribe');
      expect(handled).toContain('/unsubscribe');
      expect(new Set(declared)).toEqual(handled);
    },
  );
});
