import { describe, expect, it } from 'vitest';
import { PaperbotError } from '../../src/errors.ts';
import { BUSY_MESSAGE } from '../../src/runtime/work-queue.ts';
import { contentOf, IDS, startHarness as startDiscord, waitFor } from '../discord/discord-harness.ts';
import { FakeBot } from '../fakes/fake-bot.ts';
import type { LogLine } from '../fakes/recording-logger.ts';
import {
  eventCallback,
  mentionEvent,
  signedPost,
  slashCommand,
  startHarness as startSlack,
} from '../slack/slack-harness.ts';

/** Pino's error level; BUSY is load shedding, reported to the user, not an error to page on. */
const ERROR_LEVEL = 50;
const busy = () => new PaperbotError('BUSY', BUSY_MESSAGE);
const errorLines = (lines: LogLine[]) => lines.filter((line) => line.level >= ERROR_LEVEL);

describe('a full queue (BUSY) in the adapters', () => {
  it('Discord /ask edits the deferred reply to the busy notice, without an error log', async () => {
    const { discord, log, waitForResponses } = await startDiscord({ bot: { askError: busy() } });
    const { token } = discord.slashCommand('ask', { question: 'what do layers encode?' });
    const [callback, edit] = await waitForResponses(token, 2);
    expect(callback?.body?.type).toBe(5);
    expect(edit?.method).toBe('PATCH');
    expect(contentOf(edit)).toBe(BUSY_MESSAGE);
    expect(errorLines(log.lines)).toEqual([]);
  });

  it('Discord mention posts the busy notice in the thread, without an error log', async () => {
    const { discord, log } = await startDiscord({ bot: { askError: busy() } });
    const question = discord.userMessage(IDS.general, 'what do layers encode?', { mentionBot: true });
    const post = await waitFor(
      () => discord.requestsTo('POST', new RegExp(`^/channels/${question.id}/messages$`))[0],
    );
    expect(contentOf(post)).toBe(BUSY_MESSAGE);
    expect(errorLines(log.lines)).toEqual([]);
  });

  it('Slack /ask and a mention show the busy notice, without an error log', async () => {
    const harness = await startSlack(new FakeBot({ askError: busy() }), 'http');
    try {
      const form = slashCommand('/ask', 'what do layers encode?', harness.slack.responseUrl('ask'));
      const ack = await signedPost(harness.endpoint, new URLSearchParams(form).toString(), {
        contentType: 'application/x-www-form-urlencoded',
      });
      expect(ack.status).toBe(200);
      const reply = await waitFor(() => harness.slack.responses.find((post) => post.id === 'ask'));
      expect(JSON.stringify(reply.body)).toContain(BUSY_MESSAGE);

      await signedPost(harness.endpoint, JSON.stringify(eventCallback(mentionEvent('and layers?'))));
      const post = await waitFor(() => harness.slack.callsOf('chat.postMessage')[0]);
      expect(JSON.stringify(post.args)).toContain(BUSY_MESSAGE);
      expect(errorLines(harness.lines)).toEqual([]);
    } finally {
      await harness.close();
    }
  });
});
