import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerRequest } from '../../src/answering/answerer.ts';
import { createBot } from '../../src/bot.ts';
import type { Paper } from '../../src/corpus/paper.ts';
import { HybridRetriever } from '../../src/retrieval/hybrid-retriever.ts';
import { PaperIndex } from '../../src/retrieval/paper-index.ts';
import { HashingEmbeddings } from '../fakes/hashing-embeddings.ts';
import { recordingAnswerer } from '../fakes/recording-answerer.ts';

const papers: Paper[] = [
  {
    id: 'pipeline',
    title: 'Probing the layers of a pretrained encoder',
    abstract: 'The encoder represents the steps of the classical pipeline in the expected order.',
  },
  {
    id: 'memory',
    title: 'Recurrent transformers for long documents',
    abstract: 'A memory of chunks lets the model read long documents.',
  },
  { id: 'protein', title: 'Protein structures', abstract: 'Folding of proteins in solution.' },
];

describe('a misspelt question through the bot', () => {
  let dir: string;
  let index: PaperIndex;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperbot-spelling-'));
    index = await PaperIndex.build(dir, papers, new HashingEmbeddings());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function botWith(seen: AnswerRequest[]) {
    const answerer = recordingAnswerer(seen);
    return createBot({
      retriever: new HybridRetriever(index),
      answerer,
      catalog: index,
      paperCount: () => index.size,
    });
  }

  it('is retrieved and answered as the corpus words, and the answer says how it was read', async () => {
    const seen: AnswerRequest[] = [];
    const answer = await botWith(seen).ask('Which layers hold the clasical pipline?');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.question).toBe('Which layers hold the classical pipeline?');
    expect(seen[0]!.hits[0]?.paper.id).toBe('pipeline');
    expect(answer.answer).toBe(
      '(Read "clasical" as "classical", "pipline" as "pipeline".) About Which layers hold the classical pipeline?',
    );
  });

  it('a question the corpus spells right is passed on as asked, with no note', async () => {
    const seen: AnswerRequest[] = [];
    const answer = await botWith(seen).ask('Which layers hold the classical pipeline?');
    expect(seen[0]!.question).toBe('Which layers hold the classical pipeline?');
    expect(answer.answer).toBe('About Which layers hold the classical pipeline?');
  });

  it('search reports the same relevance for the misspelt and the right query', async () => {
    const bot = botWith([]);
    const misspelt = await bot.search('memmory of long documnets');
    const right = await bot.search('memory of long documents');
    expect(misspelt[0]?.paper.id).toBe('memory');
    expect(misspelt.map((hit) => [hit.paper.id, hit.relevance])).toEqual(
      right.map((hit) => [hit.paper.id, hit.relevance]),
    );
  });
});
