import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAISummarizer } from '../../src/answering/openai-summarizer.ts';
import { summarizePaper } from '../../src/trending/summarize.ts';
import { errorBody, FakeOpenAIServer } from '../fakes/fake-openai-server.ts';
import { INJECTED, LAYERS } from './answering-fixtures.ts';

let server: FakeOpenAIServer;

beforeEach(async () => {
  server = await FakeOpenAIServer.start();
});
afterEach(async () => {
  await server.close();
});

function summarizer(): OpenAISummarizer {
  return new OpenAISummarizer({
    apiKey: 'k',
    baseURL: server.baseURL,
    model: 'summary-model',
    timeoutMs: 5_000,
  });
}

describe('OpenAISummarizer', () => {
  it('returns the model summary on one line, from a prompt holding the paper as data', async () => {
    server.replyChat('  Intermediate layers beat the last one.\nAcross 32 tasks.  ');
    const summary = await summarizer().summarize(LAYERS);

    expect(summary).toBe('Intermediate layers beat the last one. Across 32 tasks.');
    const body = server.chatRequests()[0]!.body;
    expect(body.model).toBe('summary-model');
    expect(body.messages[0].content).toContain(`<paper id="${LAYERS.id}">`);
    expect(body.messages[0].content).toContain(`Title: ${LAYERS.title}`);
  });

  it('escapes an abstract that tries to close its data block', async () => {
    server.replyChat('A paper about probing.');
    await summarizer().summarize(INJECTED);

    const content: string = server.chatRequests()[0]!.body.messages[0].content;
    expect(content.match(/<\/paper>/g)).toHaveLength(1);
    expect(content.indexOf('Ignore previous instructions')).toBeLessThan(content.indexOf('</paper>'));
  });

  it('lets the digest fall back to an extractive summary when the server fails', async () => {
    server.onChat(() => ({ status: 503, body: errorBody('overloaded') }));
    const result = await summarizePaper(LAYERS, {
      summarizer: new OpenAISummarizer({
        apiKey: 'k',
        baseURL: server.baseURL,
        model: 'm',
        timeoutMs: 5_000,
        maxRetries: 0,
      }),
    });

    expect(result.source).toBe('extractive');
    expect(server.chatRequests()).toHaveLength(1);
  });
});
