import { describe, expect, it } from 'vitest';
import { FakeBot } from '../fakes/fake-bot.ts';
import { waitFor } from '../fakes/fake-slack.ts';
import { gate } from '../helpers/gate.ts';
import {
  blockTexts,
  buttonClick,
  directMessage,
  eventCallback,
  type Harness,
  mentionEvent,
  slashCommand,
  startHarness,
} from './slack-harness.ts';

let harness: Harness | undefined;

async function connect(bot: FakeBot): Promise<Harness> {
  harness = await startHarness(bot, 'socket');
  expect(harness.adapter.mode).toBe('socket');
  await waitFor(() => harness!.slack.socketConnected);
  return harness;
}

describe('Slack adapter over Socket Mode', () => {
  it('connects with the app token and answers a mention in a thread', async () => {
    const bot = new FakeBot();
    const { slack } = await connect(bot);
    expect(slack.callsOf('apps.connections.open')[0]!.authorization).toBe('Bearer xapp-test');
    const envelope = slack.sendEnvelope('events_api', eventCallback(mentionEvent('what do layers encode?')));
    await waitFor(() => slack.acks.has(envelope));
    const post = await waitFor(() => slack.callsOf('chat.postMessage')[0]);
    expect(post.args).toMatchObject({ channel: 'C100', thread_ts: '1710000000.000001' });
    expect(blockTexts(post.args.blocks)).toContain('<https://arxiv.org/abs/2401.00001|[1]>');
  });

  it('answers a DM, follows up in its thread with the earlier turns, and ignores its own messages', async () => {
    const bot = new FakeBot();
    const { slack } = await connect(bot);
    // The fake stores only what the app posts: the user's side of the thread is seeded.
    const first = directMessage('first question', { ts: '1600000000.000001' });
    slack.seedMessage({ channel: 'D100', ts: '1600000000.000001', user: 'U111', text: 'first question' });
    slack.sendEnvelope('events_api', eventCallback(first));
    await waitFor(() => slack.callsOf('chat.postMessage')[0]);
    slack.sendEnvelope(
      'events_api',
      eventCallback(directMessage('echo', { user: 'UBOT', bot_id: 'BBOT', ts: '1800000000.000001' })),
    );
    await waitFor(() =>
      harness!.lines.some((line) => line.msg === 'slack event ignored' && line.reason === 'own message'),
    );
    const followUp = directMessage('and then?', { ts: '1800000000.000002', thread_ts: '1600000000.000001' });
    slack.sendEnvelope('events_api', eventCallback(followUp));
    await waitFor(() => slack.callsOf('chat.postMessage')[1]);
    expect(bot.asks.map((ask) => ask.question)).toEqual(['first question', 'and then?']);
    const history = bot.asks[1]!.options?.history ?? [];
    expect(history[0]).toEqual({ role: 'user', text: 'first question' });
    expect(history[1]!.role).toBe('assistant');
    expect(history[1]!.text).toContain('Answer to "first question"');
  });

  for (const [command, expectedType] of [
    ['/papers', 'ephemeral'],
    ['/ask', 'in_channel'],
    ['/trending', 'ephemeral'],
  ] as const) {
    it(`acks ${command} while the core is busy, then answers via response_url`, async () => {
      const held = gate();
      const bot = new FakeBot({ hold: held.promise });
      const { slack } = await connect(bot);
      const started = performance.now();
      const envelope = slack.sendEnvelope(
        'slash_commands',
        slashCommand(command, 'layers', slack.responseUrl(command)),
      );
      await waitFor(() => slack.acks.has(envelope), 3_000);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(slack.responses).toEqual([]);
      held.open();
      const reply = await waitFor(() => slack.responses[0]);
      expect(reply.body.response_type).toBe(expectedType);
    });
  }

  it('puts usage text in the ack payload for an empty /papers', async () => {
    const bot = new FakeBot();
    const { slack } = await connect(bot);
    const envelope = slack.sendEnvelope(
      'slash_commands',
      slashCommand('/papers', '  ', slack.responseUrl('usage')),
    );
    const ack = await waitFor(() => slack.acks.get(envelope));
    expect(ack).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Usage: `/papers'),
    });
    expect(bot.searches).toEqual([]);
  });

  it('records a feedback click', async () => {
    const bot = new FakeBot();
    const { slack, feedback } = await connect(bot);
    const value = JSON.stringify({ q: 'what do layers encode?', p: ['2401.00001'] });
    slack.sendEnvelope(
      'interactive',
      buttonClick({ action_id: 'paperbot_feedback_up', value }, slack.responseUrl('thanks')),
    );
    await waitFor(() => slack.responses[0]);
    expect(await feedback.list()).toEqual([
      expect.objectContaining({ rating: 1, question: 'what do layers encode?', paperIds: ['2401.00001'] }),
    ]);
  });
});
