import { describe, expect, it } from 'vitest';
import { FakeBot } from '../fakes/fake-bot.ts';
import { waitFor } from '../fakes/fake-slack.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { gate } from '../helpers/gate.ts';
import {
  blockTexts,
  buttonClick,
  directMessage,
  eventCallback,
  FORM,
  type Harness,
  mentionEvent,
  signedPost,
  slashCommand,
  startHarness,
} from './slack-harness.ts';

let harness: Harness | undefined;

async function postEvent(
  event: Record<string, unknown>,
  options: { timestamp?: number; signature?: string } = {},
) {
  return signedPost(harness!.endpoint, JSON.stringify(eventCallback(event)), options);
}

describe('Slack adapter over HTTP', () => {
  it('answers a mention in a thread with linked citations, sources and feedback buttons', async () => {
    const bot = new FakeBot();
    harness = await startHarness(bot, 'http');
    const response = await postEvent(mentionEvent('what do intermediate layers encode?'));
    expect(response.status).toBe(200);
    const [post] = await waitFor(
      () =>
        harness!.slack.callsOf('chat.postMessage').length > 0 && harness!.slack.callsOf('chat.postMessage'),
    );
    expect(post!.args.channel).toBe('C100');
    expect(post!.args.thread_ts).toBe('1710000000.000001');
    expect(bot.asks[0]!.question).toBe('what do intermediate layers encode?');
    const blocks = blockTexts(post!.args.blocks);
    expect(blocks).toContain('<https://arxiv.org/abs/2401.00001|[1]>');
    expect(blocks).toContain('*Sources*');
    expect(blocks).toContain('Layer by Layer: Hidden Representations');
    expect(blocks).toContain('paperbot_feedback_up');
    expect(post!.authorization).toBe('Bearer xoxb-test');
  });

  it('answers a direct message in a thread', async () => {
    const bot = new FakeBot();
    harness = await startHarness(bot, 'http');
    await postEvent(directMessage('tell me about embeddings'));
    const post = await waitFor(() => harness!.slack.callsOf('chat.postMessage')[0]);
    expect(post.args).toMatchObject({ channel: 'D100', thread_ts: '1710000001.000001' });
    expect(bot.asks.map((ask) => ask.question)).toEqual(['tell me about embeddings']);
  });

  it('passes earlier thread turns to the core for a follow-up reply without a mention', async () => {
    const bot = new FakeBot();
    harness = await startHarness(bot, 'http');
    const { slack } = harness;
    slack.seedMessage({
      channel: 'C100',
      ts: '1600000000.000001',
      user: 'U111',
      text: '<@UBOT> first &amp; foremost?',
    });
    slack.seedMessage({
      channel: 'C100',
      ts: '1600000000.000002',
      thread_ts: '1600000000.000001',
      user: 'UBOT',
      bot_id: 'BBOT',
      text: 'The first answer [1].',
    });
    slack.seedMessage({
      channel: 'C100',
      ts: '1600000000.000003',
      thread_ts: '1600000000.000001',
      bot_id: 'BOTHER',
      text: 'another bot',
    });
    await postEvent({
      type: 'message',
      channel_type: 'channel',
      channel: 'C100',
      user: 'U111',
      text: 'and the last layer?',
      ts: '1600000000.000004',
      thread_ts: '1600000000.000001',
    });
    const post = await waitFor(() => slack.callsOf('chat.postMessage')[0]);
    expect(post.args.thread_ts).toBe('1600000000.000001');
    expect(bot.asks[0]!.question).toBe('and the last layer?');
    expect(bot.asks[0]!.options?.history).toEqual([
      { role: 'user', text: 'first & foremost?' },
      { role: 'assistant', text: 'The first answer [1].' },
    ]);
  });

  it('ignores its own messages, other bots, edits, and threads it is not part of', async () => {
    const bot = new FakeBot();
    harness = await startHarness(bot, 'http');
    await postEvent(directMessage('echo', { user: 'UBOT', bot_id: 'BBOT' }));
    await postEvent(directMessage('beep', { user: 'U222', bot_id: 'BOTHER' }));
    await postEvent(directMessage('edited', { subtype: 'message_changed' }));
    await postEvent({
      type: 'message',
      channel_type: 'channel',
      channel: 'C100',
      user: 'U111',
      text: 'chat',
      ts: '1600000000.000009',
      thread_ts: '1600000000.000008',
    });
    const reasons = await waitFor(() => {
      const found = harness!.lines
        .filter((line) => line.msg === 'slack event ignored')
        .map((line) => line.reason);
      return found.length === 4 && found;
    });
    expect(reasons).toEqual([
      'own message',
      'bot message',
      'subtype message_changed',
      'thread without the bot',
    ]);
    expect(bot.asks).toEqual([]);
    expect(harness.slack.callsOf('chat.postMessage')).toEqual([]);
  });

  it('answers a message delivered twice (a Slack retry) only once', async () => {
    const bot = new FakeBot();
    harness = await startHarness(bot, 'http');
    await postEvent(directMessage('once please'));
    await postEvent(directMessage('once please'));
    await waitFor(() => harness!.lines.some((line) => line.reason === 'duplicate delivery'));
    await waitFor(() => harness!.slack.callsOf('chat.postMessage')[0]);
    expect(bot.asks).toHaveLength(1);
  });

  for (const [command, text, expectedType] of [
    ['/papers', 'layers', 'ephemeral'],
    ['/ask', 'what do layers encode?', 'in_channel'],
    ['/trending', 'embeddings', 'ephemeral'],
  ] as const) {
    it(`acks ${command} within 3 s while the core is still busy, then answers via response_url`, async () => {
      const held = gate();
      const bot = new FakeBot({ hold: held.promise });
      harness = await startHarness(bot, 'http');
      const form = new URLSearchParams(
        slashCommand(command, text, harness.slack.responseUrl(command)),
      ).toString();
      const ack = await signedPost(harness.endpoint, form, { contentType: FORM });
      expect(ack.status).toBe(200);
      expect(ack.elapsedMs).toBeLessThan(3_000);
      await waitFor(() => bot.asks.length + bot.searches.length + bot.trendingCalls.length === 1);
      expect(harness.slack.responses).toEqual([]);
      held.open();
      const reply = await waitFor(() => harness!.slack.responses[0]);
      expect(reply.id).toBe(command);
      expect(reply.body.response_type).toBe(expectedType);
      expect(blockTexts(reply.body.blocks)).toContain('2401.00001');
      if (command === '/papers') expect(blockTexts(reply.body.blocks)).toContain('Share in channel');
      if (command === '/trending') expect(bot.trendingCalls[0]!.topic).toEqual({ query: 'embeddings' });
    });
  }

  it('answers an empty or over-long command argument with usage text in the ack', async () => {
    const bot = new FakeBot();
    harness = await startHarness(bot, 'http');
    for (const text of ['', 'x'.repeat(2_001)]) {
      const form = new URLSearchParams(
        slashCommand('/ask', text, harness.slack.responseUrl('usage')),
      ).toString();
      const ack = await signedPost(harness.endpoint, form, { contentType: FORM });
      expect(ack.status).toBe(200);
      expect(JSON.parse(ack.text)).toMatchObject({
        response_type: 'ephemeral',
        text: expect.stringContaining('Usage: `/ask'),
      });
    }
    expect(bot.asks).toEqual([]);
  });

  it('lists a paper whose abstract contains <!channel> and @here without a ping', async () => {
    const papers = [
      { id: '2401.00003', title: 'Hostile <@U999>', abstract: 'Read this <!channel> @here now. Rest.' },
    ];
    const bot = new FakeBot({ papers });
    harness = await startHarness(bot, 'http');
    const form = new URLSearchParams(
      slashCommand('/papers', 'hostile', harness.slack.responseUrl('p')),
    ).toString();
    await signedPost(harness.endpoint, form, { contentType: FORM });
    const reply = await waitFor(() => harness!.slack.responses[0]);
    const rendered = blockTexts(reply.body.blocks) + String(reply.body.text);
    expect(rendered).toContain('&lt;!channel&gt;');
    expect(rendered).not.toMatch(/<!channel>|<@U999>|@here/);
  });

  it('posts a 10,000-character answer in sections within Slack limits', async () => {
    const bot = new FakeBot({ answerText: 'Layers & <tokens> matter [1]. '.repeat(334).slice(0, 10_000) });
    harness = await startHarness(bot, 'http');
    await postEvent(mentionEvent('long please'));
    // Escaping and citation links grow the text past one message's budget: it continues in a second.
    const posts = await waitFor(() => {
      const calls = harness!.slack.callsOf('chat.postMessage');
      return JSON.stringify(calls.at(-1)?.args.blocks ?? '').includes('paperbot_feedback_up') && calls;
    });
    let sections = 0;
    for (const post of posts) {
      const blocks = post.args.blocks as { type: string; text?: { text: string } }[];
      expect(post.args.thread_ts).toBe('1710000000.000001');
      expect(blocks.length).toBeLessThanOrEqual(50);
      expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(12_000);
      for (const block of blocks) expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3_000);
      expect(String(post.args.text).length).toBeLessThanOrEqual(3_000);
      sections += blocks.filter((block) => block.type === 'section').length;
    }
    expect(sections).toBeGreaterThanOrEqual(5);
  });

  it('shares /papers results in the channel when the button is clicked', async () => {
    const bot = new FakeBot();
    harness = await startHarness(bot, 'http');
    const click = buttonClick(
      { action_id: 'paperbot_share_papers', value: 'layers' },
      harness.slack.responseUrl('share'),
    );
    const response = await signedPost(
      harness.endpoint,
      new URLSearchParams({ payload: JSON.stringify(click) }).toString(),
      { contentType: FORM },
    );
    expect(response.status).toBe(200);
    const reply = await waitFor(() => harness!.slack.responses[0]);
    expect(reply.body.response_type).toBe('in_channel');
    expect(blockTexts(reply.body.blocks)).not.toContain('Share in channel');
    expect(bot.searches[0]!.query).toBe('layers');
  });

  it.each([
    ['a bad signature', { signature: 'v0=deadbeef' }],
    ['a stale timestamp', { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 }],
    ['a future timestamp', { timestamp: Math.floor(Date.now() / 1000) + 10 * 60 }],
  ])('rejects %s with 401 and runs no handler', async (_name, options) => {
    const bot = new FakeBot();
    harness = await startHarness(bot, 'http');
    const rejected = await postEvent(mentionEvent('rejected question'), options);
    expect(rejected.status).toBe(401);
    await postEvent(mentionEvent('accepted question'));
    await waitFor(() => harness!.slack.callsOf('chat.postMessage')[0]);
    expect(bot.asks.map((ask) => ask.question)).toEqual(['accepted question']);
  });

  it('accepts a timestamp up to five minutes ahead (clock skew)', async () => {
    const bot = new FakeBot();
    harness = await startHarness(bot, 'http');
    const response = await postEvent(mentionEvent('skewed'), {
      timestamp: Math.floor(Date.now() / 1000) + 4 * 60,
    });
    expect(response.status).toBe(200);
  });

  it('records feedback buttons in the database, one rating per user and answer', async () => {
    const bot = new FakeBot();
    harness = await startHarness(bot, 'http');
    await postEvent(mentionEvent('what do layers encode?'));
    const post = await waitFor(() => harness!.slack.callsOf('chat.postMessage')[0]);
    const actions = (
      post.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]
    ).find((block) => block.type === 'actions')!.elements!;
    for (const [index, element] of [actions[0]!, actions[1]!].entries()) {
      const click = buttonClick(element, harness.slack.responseUrl(`feedback-${index}`));
      await signedPost(harness.endpoint, new URLSearchParams({ payload: JSON.stringify(click) }).toString(), {
        contentType: FORM,
      });
      await waitFor(() => harness!.slack.responses.length === index + 1);
    }
    const rows = await harness.feedback.list();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      platform: 'slack',
      userId: 'U111',
      rating: -1,
      question: 'what do layers encode?',
      paperIds: ['2401.00001', '2401.00002'],
      messageRef: 'C100:1700000000.000100',
    });
  });

  it('turns a core failure into an apology in the thread, logs it, and keeps answering', async () => {
    const bot = new FakeBot({ askError: new Error('index exploded') });
    harness = await startHarness(bot, 'http');
    await postEvent(mentionEvent('first'));
    const apology = await waitFor(() => harness!.slack.callsOf('chat.postMessage')[0]);
    expect(apology.args.thread_ts).toBe('1710000000.000001');
    expect(String(apology.args.text)).toContain('Sorry');
    const error = harness.lines.find(
      (line) => line.level === 50 && String(line.msg).includes('index exploded'),
    );
    expect(error).toMatchObject({ channel: 'C100', user: 'U111', event: 'app_mention' });
    bot.options.askError = undefined;
    await postEvent(mentionEvent('second', { ts: '1710000000.000002' }));
    const answer = await waitFor(() => harness!.slack.callsOf('chat.postMessage')[1]);
    expect(blockTexts(answer.args.blocks)).toContain('Answer to');
  });

  it('answers politely instead of asking the core when a user exceeds the rate limit', async () => {
    const clock = new ManualClock(Date.now());
    const bot = new FakeBot();
    harness = await startHarness(bot, 'http', { clock, userPerMinute: 1 });
    await postEvent(mentionEvent('one', { ts: '1710000000.000001' }));
    await waitFor(() => harness!.slack.callsOf('chat.postMessage')[0]);
    await postEvent(mentionEvent('two', { ts: '1710000000.000002' }));
    const notice = await waitFor(() => harness!.slack.callsOf('chat.postMessage')[1]);
    expect(String(notice.args.text)).toMatch(/faster than I can keep up.*60 s/);
    expect(notice.args.thread_ts).toBe('1710000000.000002');
    await clock.advanceBy(60_000);
    await postEvent(mentionEvent('three', { ts: '1710000000.000003' }));
    await waitFor(() => harness!.slack.callsOf('chat.postMessage')[2]);
    expect(bot.asks.map((ask) => ask.question)).toEqual(['one', 'three']);
  });
});
