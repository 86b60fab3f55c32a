import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIAnswerer } from '../../src/answering/openai-answerer.ts';
import { createOutputGuardedBot } from '../../src/runtime/output-guarded-bot.ts';
import { MAX_MODEL_REPLY_CHARS, TRUNCATED_NOTE } from '../../src/text/cap-text.ts';
import { hitsOf, LAYERS, requestFor } from '../answering/answering-fixtures.ts';
import { FakeBot } from '../fakes/fake-bot.ts';
import { chatCompletion, FakeOpenAIServer } from '../fakes/fake-openai-server.ts';
import { waitFor } from '../fakes/fake-slack.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { runCli } from '../helpers/run-cli.ts';
import { copyBundledIndex } from '../helpers/temp-index.ts';
import {
  eventCallback,
  type Harness,
  mentionEvent,
  signedPost,
  startHarness,
} from '../slack/slack-harness.ts';

const API_KEY = 'sk-flood-test-0123456789';
/** A 200 KB model reply that cites [1], echoes the API key and carries terminal escapes. */
const FLOOD = `\u001b[2J\u001b[31mIntermediate layers win [1]. Key: ${API_KEY}. \u202E${'More words about layers [1]. '.repeat(7_000)}`;

let server: FakeOpenAIServer | undefined;
let harness: Harness | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  await harness?.close();
  harness = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('a 200 KB model reply', () => {
  it('is capped by the OpenAI answerer, which also asks for at most max_tokens', async () => {
    server = await FakeOpenAIServer.start();
    server.replyChat(FLOOD);
    const answerer = new OpenAIAnswerer({
      apiKey: 'test-key',
      baseURL: server.baseURL,
      model: 'test-chat-model',
      timeoutMs: 5_000,
      logger: recordingLogger().logger,
    });
    const answer = await answerer.answer(requestFor('what do intermediate layers encode?', hitsOf(LAYERS)));
    expect(FLOOD.length).toBeGreaterThan(200_000);
    expect(answer.answer.length).toBeLessThanOrEqual(MAX_MODEL_REPLY_CHARS);
    expect(answer.answer.endsWith(TRUNCATED_NOTE)).toBe(true);
    expect(server.chatRequests()[0]!.body.max_tokens).toBe(600);
  });

  it('prints a few KB through the CLI, without the API key or terminal escapes', async () => {
    server = await FakeOpenAIServer.start();
    server.onChat(() => ({
      body: chatCompletion(FLOOD, undefined, { finishReason: 'length', completionTokens: 50_000 }),
    }));
    const index = copyBundledIndex();
    cleanups.push(index.cleanup);
    const result = await runCli(
      ['ask', 'Which papers argue that intermediate layers give better representations than the last layer?'],
      {
        PAPERBOT_INDEX_DIR: index.dir,
        OPENAI_API_KEY: API_KEY,
        OPENAI_BASE_URL: server.baseURL,
        PAPERBOT_EMBEDDINGS: 'local',
      },
    );
    expect(result.code).toBe(0);
    expect(server.chatRequests().length).toBe(1);
    expect(result.stdout.length).toBeLessThan(MAX_MODEL_REPLY_CHARS + 3_000);
    expect(result.stdout).toContain(TRUNCATED_NOTE);
    expect(result.stdout).toContain('[redacted]');
    expect(result.stdout).not.toContain(API_KEY);
    expect(result.stdout).not.toMatch(/\u001b|\u202e/);
  });

  it('is posted to Slack as a few messages, never with a configured secret', async () => {
    const bot = createOutputGuardedBot(new FakeBot({ answerText: FLOOD }), [API_KEY]);
    harness = await startHarness(bot as FakeBot, 'http');
    const response = await signedPost(
      harness.endpoint,
      JSON.stringify(eventCallback(mentionEvent('flood?'))),
    );
    expect(response.status).toBe(200);
    await waitFor(() => harness!.lines.some((line) => line.msg === 'slack question answered'));
    const posts = harness.slack.callsOf('chat.postMessage');
    expect(posts.length).toBeGreaterThanOrEqual(1);
    expect(posts.length).toBeLessThanOrEqual(3);
    const posted = JSON.stringify(posts.map((post) => post.args));
    expect(posted).toContain('…(truncated)');
    expect(posted).toContain('[redacted]');
    expect(posted).not.toContain(API_KEY);
    expect(posted).not.toMatch(/\\u001b|\u202e/i);
  });
});
