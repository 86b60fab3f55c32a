import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isValidTimestamp, unroutableReason } from '../../adapters/slack/guarded-receiver.ts';
import { createMemoryReplayGuard } from '../../src/runtime/replay-guard.ts';
import { FakeBot } from '../fakes/fake-bot.ts';
import { waitFor } from '../fakes/fake-slack.ts';
import {
  eventCallback,
  FORM,
  type Harness,
  mentionEvent,
  SIGNING_SECRET,
  sign,
  signedPost,
  slashCommand,
  startHarness,
} from './slack-harness.ts';

let harness: Harness | undefined;

/** POSTs `body` signed over the raw timestamp header `timestamp`, whatever its format. */
async function postWithRawTimestamp(url: string, body: string, timestamp: string) {
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    },
    body,
  });
  await response.text();
  return response.status;
}

/** The adapter still answers: a mention after the bad request reaches the core. */
async function expectStillAnswering(bot: FakeBot, text: string) {
  const response = await signedPost(harness!.endpoint, JSON.stringify(eventCallback(mentionEvent(text))));
  expect(response.status).toBe(200);
  await waitFor(() => bot.asks.some((ask) => ask.question === text));
}

describe('Slack request guard (real Bolt over HTTP on 127.0.0.1)', () => {
  it.each([
    ['payload=null', 'payload=null', FORM],
    ['payload=42', 'payload=42', FORM],
    ['payload that is not JSON', 'payload=%7Bnope', FORM],
    ['JSON null', 'null', 'application/json'],
    ['a JSON array', '[1,2]', 'application/json'],
    ['a JSON string', '"text"', 'application/json'],
    ['an object Bolt cannot route', '{"type":"nothing_we_know"}', 'application/json'],
    ['an event that is null', '{"type":"event_callback","event":null}', 'application/json'],
  ])('answers a correctly signed %s with 400 at once and keeps serving', async (_name, body, contentType) => {
    const bot = new FakeBot();
    harness = await startHarness(bot, 'http');
    const response = await signedPost(harness.endpoint, body, { contentType });
    expect(response.status).toBe(400);
    // Bolt's own answer to a body nothing acks is a 404 after 3 s: a 400 comes well before that.
    expect(response.elapsedMs).toBeLessThan(2_500);
    expect(harness.lines.some((line) => line.msg?.toString().startsWith('slack request rejected'))).toBe(
      true,
    );
    await expectStillAnswering(bot, 'after the bad body');
  });

  it.each(['+1710000000', '1710000000.0', '4e9', '0x65f0c680', ' 1710000000', ''])(
    'rejects the timestamp header %j with 401 even when the signature matches it',
    async (format) => {
      const bot = new FakeBot();
      harness = await startHarness(bot, 'http');
      const now = String(Math.floor(Date.now() / 1000));
      const header = format.replace('1710000000', now);
      const status = await postWithRawTimestamp(
        harness.endpoint,
        JSON.stringify(eventCallback(mentionEvent('smuggled'))),
        header,
      );
      expect(status).toBe(401);
      await expectStillAnswering(bot, 'honest');
      expect(bot.asks.map((ask) => ask.question)).toEqual(['honest']);
    },
  );

  it('answers identical signed /ask bytes replayed three times within 5 minutes once', async () => {
    const bot = new FakeBot();
    harness = await startHarness(bot, 'http');
    const form = new URLSearchParams(
      slashCommand('/ask', 'what do layers encode?', harness.slack.responseUrl('ask')),
    ).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = sign(form, timestamp);
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await signedPost(harness.endpoint, form, { contentType: FORM, timestamp, signature });
      expect(response.status).toBe(200);
    }
    await waitFor(() => harness!.slack.responses[0]);
    await waitFor(
      () => harness!.lines.filter((line) => line.reason === 'replayed request ignored').length === 2,
    );
    expect(bot.asks).toHaveLength(1);
    // The same command signed a second later is a new request, and is answered.
    const later = await signedPost(harness.endpoint, form, { contentType: FORM, timestamp: timestamp + 1 });
    expect(later.status).toBe(200);
    await waitFor(() => bot.asks.length === 2);
  });
});

describe('request checks', () => {
  it('accepts only digit timestamps within five minutes either way', () => {
    const now = 1_710_000_000_000;
    expect(isValidTimestamp('1710000000', now)).toBe(true);
    expect(isValidTimestamp('1710000300', now)).toBe(true);
    expect(isValidTimestamp('1709999700', now)).toBe(true);
    for (const bad of ['1710000301', '1709999699', '+1710000000', '1710000000.0', '4e9', 'T', undefined])
      expect(isValidTimestamp(bad, now)).toBe(false);
    expect(isValidTimestamp(['1710000000', '1710000000'], now)).toBe(false);
  });

  it('names what Bolt could not route', () => {
    expect(unroutableReason(null)).toBe('body is null');
    expect(unroutableReason({ command: '/ask' })).toBeUndefined();
    expect(unroutableReason({ type: 'block_actions', actions: [] })).toBeUndefined();
    expect(unroutableReason({ type: 'event_callback', event: { type: 'app_mention' } })).toBeUndefined();
    expect(unroutableReason({})).toBe('no event, command or interaction');
  });

  it('remembers replay keys for the window only, within a bounded memory', () => {
    const guard = createMemoryReplayGuard({ windowMs: 1_000, maxEntries: 3 });
    expect(guard.firstSeen('a', 0)).toBe(true);
    expect(guard.firstSeen('a', 999)).toBe(false);
    expect(guard.firstSeen('a', 1_000)).toBe(true);
    for (const key of ['b', 'c', 'd', 'e']) guard.firstSeen(key, 1_500);
    expect(guard.size).toBe(3);
    expect(guard.firstSeen('z', 10_000)).toBe(true);
    expect(guard.size).toBe(1);
  });
});
