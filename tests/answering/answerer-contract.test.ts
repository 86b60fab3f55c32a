import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answerer } from '../../src/answering/answerer.ts';
import { ExtractiveAnswerer } from '../../src/answering/extractive-answerer.ts';
import { FallbackAnswerer } from '../../src/answering/fallback-answerer.ts';
import { OpenAIAnswerer } from '../../src/answering/openai-answerer.ts';
import { citationsValid } from '../../src/evaluation/evaluate.ts';
import { silentLogger } from '../../src/logger.ts';
import type { SearchHit } from '../../src/retrieval/types.ts';
import { chatCompletion, FakeOpenAIServer } from '../fakes/fake-openai-server.ts';
import { coverageModels } from './answering-fixtures.ts';

/** The same behaviour is required of every Answerer implementation. */
const layers: SearchHit = {
  paper: {
    id: '2502.02013',
    title: 'Layer by Layer',
    abstract:
      'Intermediate layers of language models often yield better representations than the final layer.',
  },
  score: 1,
  denseScore: 0.7,
};
const heads: SearchHit = {
  paper: {
    id: '2310.04625',
    title: 'Successor heads',
    abstract: 'Attention heads that increment Monday to Tuesday.',
  },
  score: 0.4,
  denseScore: 0.4,
};

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await FakeOpenAIServer.start();
  // A stand-in model that follows the system prompt's rules: decline when no paper fits, else cite.
  server.onChat((request) => {
    const prompt = JSON.stringify(request.body.messages);
    const content = /predict protein folding/i.test(prompt)
      ? 'I found no paper in the corpus about protein folding.'
      : 'Intermediate layers often beat the final layer [1].';
    return { status: 200, body: chatCompletion(content) };
  });
});
afterAll(() => server.close());

const openai = () =>
  new OpenAIAnswerer({
    apiKey: 'test',
    baseURL: server.baseURL,
    model: 'fake',
    timeoutMs: 5_000,
    logger: silentLogger(),
  });
const implementations: [string, () => Answerer][] = [
  ['ExtractiveAnswerer', () => new ExtractiveAnswerer(coverageModels)],
  ['OpenAIAnswerer', openai],
  [
    'FallbackAnswerer',
    () =>
      new FallbackAnswerer({
        primary: openai(),
        offline: new ExtractiveAnswerer(coverageModels),
        logger: silentLogger(),
      }),
  ],
];

describe.each(implementations)('Answerer contract: %s', (_name, create) => {
  it('answers a supported question citing only retrieved papers', async () => {
    const hits = [layers, heads];
    const answer = await create().answer({
      question: 'do intermediate layers give better representations than the final layer?',
      history: [],
      hits,
    });
    expect(answer.declined).toBe(false);
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(citationsValid(answer, hits)).toBe(true);
    for (const citation of answer.citations) {
      expect(answer.answer).toContain(`[${citation.n}]`);
      expect(answer.sources.find((source) => source.n === citation.n)?.paperId).toBe(citation.paperId);
    }
    expect(answer.citations.map((citation) => citation.paperId)).toContain('2502.02013');
  });

  it('declines plainly when the papers do not support an answer', async () => {
    const answer = await create().answer({
      question: 'which papers predict protein folding?',
      history: [],
      hits: [{ ...heads, denseScore: 0.2 }],
    });
    expect(answer.declined).toBe(true);
    expect(answer.answer).toMatch(/^I found no paper in the corpus about/);
    expect(citationsValid(answer, [heads])).toBe(true);
  });
});
