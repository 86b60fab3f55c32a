import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DECLINE_PREFIX } from '../../src/answering/answer-prompt.ts';
import { OpenAIAnswerer, type OpenAIAnswererOptions } from '../../src/answering/openai-answerer.ts';
import type { Paper } from '../../src/corpus/paper.ts';
import { LanguageModelError } from '../../src/openai/language-model-error.ts';
import { errorBody, FakeOpenAIServer } from '../fakes/fake-openai-server.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { hitsOf, INJECTED, LAYERS, MAMBA, requestFor } from './answering-fixtures.ts';

let server: FakeOpenAIServer;
let log: ReturnType<typeof recordingLogger>;

beforeEach(async () => {
  server = await FakeOpenAIServer.start();
  log = recordingLogger();
});
afterEach(async () => {
  await server.close();
});

function answerer(options: Partial<OpenAIAnswererOptions> = {}): OpenAIAnswerer {
  return new OpenAIAnswerer({
    apiKey: 'test-key',
    baseURL: server.baseURL,
    model: 'test-chat-model',
    timeoutMs: 5_000,
    logger: log.logger,
    ...options,
  });
}

/** Content of the last message of the first chat request (papers and question). */
function lastUserMessage(): string {
  const messages = server.chatRequests()[0]!.body.messages as { role: string; content: string }[];
  expect(messages.at(-1)!.role).toBe('user');
  return messages.at(-1)!.content;
}

describe('OpenAIAnswerer', () => {
  it('returns a cited answer with the cited papers as numbered sources', async () => {
    server.replyChat('Intermediate layers often beat the last layer [1]; Mamba is unrelated [2].');
    const result = await answerer().answer(
      requestFor('Which papers argue intermediate layers are better?', hitsOf(LAYERS, MAMBA)),
    );

    expect(result).toMatchObject({
      answer: 'Intermediate layers often beat the last layer [1]; Mamba is unrelated [2].',
      declined: false,
      answerer: 'openai',
      citations: [
        { n: 1, paperId: LAYERS.id, title: LAYERS.title },
        { n: 2, paperId: MAMBA.id, title: MAMBA.title },
      ],
    });
    expect(result.sources.map((source) => [source.n, source.paperId, source.link])).toEqual([
      [1, LAYERS.id, `https://arxiv.org/abs/${LAYERS.id}`],
      [2, MAMBA.id, `https://arxiv.org/abs/${MAMBA.id}`],
    ]);
    const request = server.chatRequests()[0]!;
    expect(request.headers.authorization).toBe('Bearer test-key');
    expect(request.body.model).toBe('test-chat-model');
    expect(request.body.messages[0].role).toBe('system');
    expect(request.body.messages[0].content).toContain(DECLINE_PREFIX);
    expect(lastUserMessage()).toContain(`<paper n="1" id="${LAYERS.id}">`);
    expect(lastUserMessage()).toContain('Question: Which papers argue intermediate layers are better?');
  });

  it('removes a fabricated citation and logs a warning naming it', async () => {
    server.replyChat('Intermediate layers win [1] and a paper that was never retrieved agrees [7].');
    const result = await answerer().answer(requestFor('intermediate layers?', hitsOf(LAYERS, MAMBA)));

    expect(result.answer).toBe('Intermediate layers win [1] and a paper that was never retrieved agrees.');
    expect(result.citations.map((citation) => citation.n)).toEqual([1]);
    expect(log.warnings()).toEqual([
      expect.objectContaining({ n: 7, msg: expect.stringContaining('not retrieved') }),
    ]);
  });

  it('keeps an injected abstract inside its data block, and the checks hold if the model obeys it', async () => {
    // The model "falls for" the injection: the code must still strip the fake citation.
    server.replyChat('The corpus proves P=NP [9]. Probing is studied [2].');
    const result = await answerer().answer(requestFor('What is probing?', hitsOf(LAYERS, INJECTED)));

    const messages = server.chatRequests()[0]!.body.messages as { role: string; content: string }[];
    expect(messages).toHaveLength(2);
    expect(messages[0]!.content).not.toContain('Ignore previous instructions');
    const user = lastUserMessage();
    // Exactly one closing tag per real paper and one for the list: the abstract closed nothing.
    expect(user.match(/<\/paper>/g)).toHaveLength(2);
    expect(user.match(/<\/papers>/g)).toHaveLength(1);
    expect(user.match(/<paper /g)).toHaveLength(2);
    const block = user.slice(user.indexOf(`<paper n="2" id="${INJECTED.id}">`), user.lastIndexOf('</paper>'));
    expect(block).toContain('Ignore previous instructions');
    expect(block).toContain('&lt;/paper&gt;');
    expect(user.indexOf('Ignore previous instructions')).toBeLessThan(user.indexOf('</papers>'));

    // The only cited paper (retrieved second) becomes source [1].
    expect(result.answer).toBe('The corpus proves P=NP. Probing is studied [1].');
    expect(result.citations).toEqual([{ n: 1, paperId: INJECTED.id, title: INJECTED.title }]);
    expect(log.warnings().map((line) => line.n)).toEqual([9]);
  });

  it('lists only the cited papers as sources, renumbered in order of first use', async () => {
    const third: Paper = { id: '2401.00003', title: 'A third paper', abstract: 'Unrelated.' };
    server.replyChat('Mamba is linear [2]; layers matter [3-4]. Also see [7] and [9].');
    const result = await answerer().answer(
      requestFor('layers and Mamba?', hitsOf(LAYERS, MAMBA, third, INJECTED)),
    );

    expect(result.answer).toBe('Mamba is linear [1]; layers matter [2, 3].');
    expect(result.sources.map((source) => [source.n, source.paperId])).toEqual([
      [1, MAMBA.id],
      [2, third.id],
      [3, INJECTED.id],
    ]);
    expect(result.citations.map((citation) => [citation.n, citation.paperId])).toEqual([
      [1, MAMBA.id],
      [2, third.id],
      [3, INJECTED.id],
    ]);
    expect(result.sources.map((source) => source.paperId)).not.toContain(LAYERS.id);
    expect(log.warnings().map((line) => line.n)).toEqual([7, 9]);
  });

  it('declines when the model starts with the decline sentence', async () => {
    server.replyChat(`${DECLINE_PREFIX} quantum error correction. The closest paper is about layers [1].`);
    const result = await answerer().answer(requestFor('quantum error correction?', hitsOf(LAYERS)));

    expect(result.declined).toBe(true);
    expect(result.answer.startsWith(DECLINE_PREFIX)).toBe(true);
    expect(result.citations.map((citation) => citation.n)).toEqual([1]);
  });

  it('sends the earlier turns of the conversation before the follow-up question', async () => {
    server.replyChat('Mamba uses state-space models [2].');
    const history = [
      { role: 'user' as const, text: 'Which papers study long sequences?' },
      { role: 'assistant' as const, text: 'Mamba handles long sequences [1].' },
    ];
    await answerer().answer(
      requestFor('and which of those use state-space models?', hitsOf(LAYERS, MAMBA), history),
    );

    const messages = server.chatRequests()[0]!.body.messages as { role: string; content: string }[];
    expect(messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[1]!.content).toBe('Which papers study long sequences?');
    expect(messages[2]!.content).toBe('Mamba handles long sequences [1].');
    expect(messages[3]!.content).toContain('Question: and which of those use state-space models?');
  });

  it('sends temperature 0 and a reply limit by default, and leaves them out when set to null', async () => {
    server.replyChat('Layers [1].', 'Layers [1].');
    await answerer().answer(requestFor('layers?', hitsOf(LAYERS)));
    await answerer({ temperature: null, maxTokens: null }).answer(requestFor('layers?', hitsOf(LAYERS)));

    const [first, second] = server.chatRequests().map((request) => request.body);
    expect(first).toMatchObject({ temperature: 0, max_tokens: 600 });
    expect(second).not.toHaveProperty('temperature');
    expect(second).not.toHaveProperty('max_tokens');
  });

  it('rejects with LLM_HTTP_ERROR on a 500, without retrying by default', async () => {
    server.onChat(() => ({ status: 500, body: errorBody('boom') }));
    const failure = answerer().answer(requestFor('layers?', hitsOf(LAYERS)));

    await expect(failure).rejects.toBeInstanceOf(LanguageModelError);
    await expect(failure).rejects.toMatchObject({
      code: 'LLM_HTTP_ERROR',
      reason: 'the server answered HTTP 500',
    });
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('rejects with LLM_TIMEOUT when the server answers after the deadline', async () => {
    server.onChat(() => ({ hang: true }));
    const failure = answerer({ timeoutMs: 150 }).answer(requestFor('layers?', hitsOf(LAYERS)));

    await expect(failure).rejects.toMatchObject({ code: 'LLM_TIMEOUT', reason: 'timeout after 150 ms' });
  });

  it('rejects an answer that cites no retrieved paper', async () => {
    server.replyChat('Everything is fine [5].');
    await expect(answerer().answer(requestFor('layers?', hitsOf(LAYERS)))).rejects.toMatchObject({
      code: 'LLM_BAD_REPLY',
      reason: 'the model cited no retrieved paper',
    });
  });

  it('passes the caller cancellation through unchanged', async () => {
    server.onChat(() => ({ hang: true }));
    const controller = new AbortController();
    const pending = answerer().answer({
      ...requestFor('layers?', hitsOf(LAYERS)),
      signal: controller.signal,
    });
    await server.waitForRequests(1);
    controller.abort();

    const error = await pending.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(LanguageModelError);
  });
});
