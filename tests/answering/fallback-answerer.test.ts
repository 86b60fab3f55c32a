import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Answerer } from '../../src/answering/answerer.ts';
import { ExtractiveAnswerer } from '../../src/answering/extractive-answerer.ts';
import { FallbackAnswerer } from '../../src/answering/fallback-answerer.ts';
import { OpenAIAnswerer } from '../../src/answering/openai-answerer.ts';
import { errorBody, FakeOpenAIServer } from '../fakes/fake-openai-server.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import {
  coverageModels,
  hitsOf,
  LAYERS,
  MAMBA,
  requestFor,
  StubOfflineAnswerer,
} from './answering-fixtures.ts';

let server: FakeOpenAIServer;
let log: ReturnType<typeof recordingLogger>;
let fallbacks: [string, string][];

beforeEach(async () => {
  server = await FakeOpenAIServer.start();
  log = recordingLogger();
  fallbacks = [];
});
afterEach(async () => {
  await server.close();
});

function fallbackAnswerer(
  offline: Answerer = new StubOfflineAnswerer(),
  timeoutMs = 5_000,
): FallbackAnswerer {
  const primary = new OpenAIAnswerer({
    apiKey: 'test-key',
    baseURL: server.baseURL,
    model: 'test-chat-model',
    timeoutMs,
    logger: log.logger,
  });
  return new FallbackAnswerer({
    primary,
    offline,
    logger: log.logger,
    onFallback: (reason, code) => fallbacks.push([reason, code]),
  });
}

describe('FallbackAnswerer', () => {
  it('lets the model decide an uncertain question, keeping the offline confidence', async () => {
    const offline = new ExtractiveAnswerer(coverageModels);
    const request = requestFor('do intermediate layers help speech models?', hitsOf(LAYERS));
    const offlineAnswer = await offline.answer(request);
    expect(offlineAnswer.outcome).toBe('uncertain');
    server.replyChat('I found no paper in the corpus about speech models.');
    const declined = await fallbackAnswerer(offline).answer(request);
    expect(declined).toMatchObject({
      outcome: 'declined',
      declined: true,
      confidence: offlineAnswer.confidence,
    });
    server.replyChat('Intermediate layers help [1].');
    const answered = await fallbackAnswerer(offline).answer(request);
    expect(answered).toMatchObject({
      outcome: 'answered',
      declined: false,
      confidence: offlineAnswer.confidence,
    });
    expect(server.chatRequests()).toHaveLength(2);
  });

  it('keeps a confident decline offline: the model is not called', async () => {
    const offline = new ExtractiveAnswerer(coverageModels);
    const result = await fallbackAnswerer(offline).answer(requestFor('protein folding?', hitsOf(LAYERS)));
    expect(result).toMatchObject({ outcome: 'declined', answerer: 'extractive' });
    expect(server.chatRequests()).toHaveLength(0);
  });

  it('returns the language model answer when it succeeds', async () => {
    server.replyChat('Intermediate layers win [1].');
    const result = await fallbackAnswerer().answer(requestFor('layers?', hitsOf(LAYERS, MAMBA)));

    expect(result).toMatchObject({ answer: 'Intermediate layers win [1].', answerer: 'openai' });
    expect(result.fallbackReason).toBeUndefined();
    expect(fallbacks).toEqual([]);
  });

  it('falls back to the offline answer, saying so, when the model times out', async () => {
    server.onChat(() => ({ hang: true }));
    const result = await fallbackAnswerer(new StubOfflineAnswerer(), 150).answer(
      requestFor('layers?', hitsOf(LAYERS, MAMBA)),
    );

    expect(result.fallbackReason).toBe('timeout after 150 ms');
    expect(result.answerer).toBe('stub-offline');
    expect(result.answer).toBe(
      'Offline answer [1].\n\n(The language model was unavailable: timeout after 150 ms; ' +
        'this answer was built from the abstracts directly.)',
    );
    expect(result.citations.map((citation) => citation.n)).toEqual([1]);
    expect(fallbacks).toEqual([['timeout after 150 ms', 'LLM_TIMEOUT']]);
    expect(log.warnings()).toEqual([expect.objectContaining({ code: 'LLM_TIMEOUT', answerer: 'openai' })]);
  });

  it('falls back when the server answers 500', async () => {
    server.onChat(() => ({ status: 500, body: errorBody('internal error') }));
    const result = await fallbackAnswerer().answer(requestFor('layers?', hitsOf(LAYERS)));

    expect(result.fallbackReason).toBe('the server answered HTTP 500');
    expect(result.answer).toContain('(The language model was unavailable: the server answered HTTP 500;');
    expect(fallbacks).toEqual([['the server answered HTTP 500', 'LLM_HTTP_ERROR']]);
  });

  it('falls back when the server cannot be reached', async () => {
    const closedUrl = server.baseURL;
    await server.close();
    server = await FakeOpenAIServer.start();
    const primary = new OpenAIAnswerer({
      apiKey: 'k',
      baseURL: closedUrl,
      model: 'm',
      timeoutMs: 5_000,
      logger: log.logger,
    });
    const answerer = new FallbackAnswerer({
      primary,
      offline: new StubOfflineAnswerer(),
      logger: log.logger,
    });
    const result = await answerer.answer(requestFor('layers?', hitsOf(LAYERS)));

    expect(result.fallbackReason).toBe('could not connect to the server');
  });

  it("says the model's answer could not be used when it cites nothing retrieved", async () => {
    server.replyChat('Trust me [12].');
    const result = await fallbackAnswerer().answer(requestFor('layers?', hitsOf(LAYERS)));

    expect(result.fallbackReason).toBe('the model cited no retrieved paper');
    expect(result.answer).toContain("(The language model's answer could not be used:");
  });

  it('returns the offline decline without calling the language model', async () => {
    const offline = new StubOfflineAnswerer(true);
    const result = await fallbackAnswerer(offline).answer(requestFor('quantum gravity?', hitsOf(MAMBA)));

    expect(result).toMatchObject({ declined: true, answerer: 'stub-offline' });
    expect(offline.calls).toHaveLength(1);
    expect(server.chatRequests()).toHaveLength(0);
  });

  it('declines through the real extractive answerer when retrieval found nothing', async () => {
    const result = await fallbackAnswerer(new ExtractiveAnswerer()).answer(
      requestFor('quantum gravity?', []),
    );

    expect(result.declined).toBe(true);
    expect(result.answer).toMatch(/^I found no paper in the corpus about/);
    expect(server.chatRequests()).toHaveLength(0);
  });

  it('does not fall back when the caller cancels', async () => {
    server.onChat(() => ({ hang: true }));
    const controller = new AbortController();
    const pending = fallbackAnswerer().answer({
      ...requestFor('layers?', hitsOf(LAYERS)),
      signal: controller.signal,
    });
    await server.waitForRequests(1);
    controller.abort();

    await expect(pending).rejects.toBeInstanceOf(Error);
    expect(fallbacks).toEqual([]);
  });
});
