import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.ts';
import type { PaperEmbeddings } from '../../src/embeddings/types.ts';
import { HybridRetriever } from '../../src/retrieval/hybrid-retriever.ts';
import { PaperIndex } from '../../src/retrieval/paper-index.ts';
import { HashingEmbeddings } from '../fakes/hashing-embeddings.ts';

const papers: Paper[] = [
  { id: 'lex', title: 'Quokka tokenizer', abstract: 'A quokka quokka tokenizer for text.' },
  {
    id: 'both',
    title: 'Quokka embeddings of sentences',
    abstract: 'Sentence embeddings trained with quokka signals.',
  },
  { id: 'dense', title: 'Sentence vectors', abstract: 'Embeddings of sentences for similarity.' },
  { id: 'none', title: 'Protein folding', abstract: 'Structures of proteins.' },
];

/** Embeddings whose queries never finish in time. */
class StalledEmbeddings extends Embeddings implements PaperEmbeddings {
  readonly modelId = 'test:hashing-64';
  readonly dimensions = 64;
  constructor(private readonly inner: HashingEmbeddings) {
    super({});
  }
  embedDocuments(texts: string[]) {
    return this.inner.embedDocuments(texts);
  }
  embedQuery(): Promise<number[]> {
    return new Promise(() => {});
  }
}

describe('HybridRetriever', () => {
  let dir: string;
  let index: PaperIndex;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperbot-hybrid-'));
    index = await PaperIndex.build(dir, papers, new HashingEmbeddings());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fuses lexical and dense scores: a paper strong in both ranks first', async () => {
    const retriever = new HybridRetriever(index);
    const hits = await retriever.search('quokka sentence embeddings', { k: 4 });
    expect(hits[0]?.paper.id).toBe('both');
    expect(hits[0]?.lexicalRank).toBeDefined();
    expect(hits[0]?.denseRank).toBeDefined();
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
  });

  it('the dense weight sets the mix: 0 gives the lexical order, 1 the dense order', async () => {
    const query = 'quokka sentences similarity';
    const ids = (hits: { paper: Paper }[]) => hits.map((hit) => hit.paper.id);
    const retriever = new HybridRetriever(index);
    const lexical = ids(await retriever.search(query, { k: 4, mode: 'lexical' }));
    const dense = ids(await retriever.search(query, { k: 4, mode: 'dense' }));
    expect(lexical).not.toEqual(dense);
    const onlyLexical = ids(
      await new HybridRetriever(index, { fusion: { denseWeight: 0 } }).search(query, { k: 4 }),
    );
    const onlyDense = ids(
      await new HybridRetriever(index, { fusion: { denseWeight: 1 } }).search(query, { k: 4 }),
    );
    expect(onlyLexical.slice(0, lexical.length)).toEqual(lexical);
    expect(onlyDense.slice(0, dense.length)).toEqual(dense);
  });

  it('lexical and dense modes return only their own list', async () => {
    const retriever = new HybridRetriever(index);
    const lexical = await retriever.search('quokka', { k: 4, mode: 'lexical' });
    expect(lexical.every((hit) => hit.denseScore === undefined)).toBe(true);
    // BM25 matches the two quokka papers; feedback may add papers worded like them, unscored by BM25.
    const matched = lexical.filter((hit) => hit.lexicalScore !== undefined).map((hit) => hit.paper.id);
    expect(matched.sort()).toEqual(['both', 'lex']);
    const dense = await retriever.search('quokka', { k: 4, mode: 'dense' });
    expect(dense.every((hit) => hit.lexicalScore === undefined && hit.denseScore !== undefined)).toBe(true);
  });

  it('falls back to lexical retrieval when the query embedding times out, and counts it', async () => {
    const stalled = await PaperIndex.open(dir, new StalledEmbeddings(new HashingEmbeddings()));
    const fallbacks: string[] = [];
    const retriever = new HybridRetriever(stalled, {
      embedTimeoutMs: 20,
      onFallback: (stage) => fallbacks.push(stage),
    });
    const hits = await retriever.search('quokka tokenizer', { k: 2 });
    expect(hits[0]?.paper.id).toBe('lex');
    expect(hits.every((hit) => hit.denseScore === undefined)).toBe(true);
    expect(fallbacks).toEqual(['query-embedding']);
  });

  it('searches a misspelt query as the corpus words it stands for, lexically and densely', async () => {
    const retriever = new HybridRetriever(index);
    const lexical = await retriever.search('quokkka tokenizr', { k: 2, mode: 'lexical' });
    expect(lexical[0]?.paper.id).toBe('lex');
    const dense = await retriever.search('quokkka tokenizr', { k: 4, mode: 'dense' });
    const correct = await retriever.search('quokka tokenizer', { k: 4, mode: 'dense' });
    expect(dense.map((hit) => [hit.paper.id, hit.denseScore])).toEqual(
      correct.map((hit) => [hit.paper.id, hit.denseScore]),
    );
    expect(index.correctSpelling('quokkka tokenizr').corrections).toEqual([
      { from: 'quokkka', to: 'quokka' },
      { from: 'tokenizr', to: 'tokenizer' },
    ]);
  });

  it('returns nothing for a query with no usable words', async () => {
    expect(await new HybridRetriever(index).search('the of and', { k: 3, mode: 'lexical' })).toEqual([]);
  });
});

describe('HybridRetriever pseudo-relevance feedback', () => {
  // "kin" shares the best match's vocabulary (tokenizer, bytes, segmentation) but not the
  // question's word; "far" shares nothing with either.
  const family: Paper[] = [
    { id: 'match', title: 'Quokka tokenizer', abstract: 'A quokka tokenizer segments bytes into units.' },
    { id: 'kin', title: 'Byte tokenizer', abstract: 'A tokenizer that segments bytes into units.' },
    { id: 'far', title: 'Protein folding', abstract: 'Structures of proteins in cells.' },
  ];
  let dir: string;
  let index: PaperIndex;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperbot-feedback-'));
    index = await PaperIndex.build(dir, family, new HashingEmbeddings());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ids = (hits: { paper: Paper }[]) => hits.map((hit) => hit.paper.id);

  it('finds a paper worded like the best match though it lacks the question words', async () => {
    const without = new HybridRetriever(index, { fusion: { feedbackWeight: 0 } });
    expect(ids(await without.search('quokka', { k: 3, mode: 'lexical' }))).toEqual(['match']);
    const hits = await new HybridRetriever(index).search('quokka', { k: 3, mode: 'lexical' });
    expect(ids(hits)).toEqual(['match', 'kin']);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    expect(hits[1]!.lexicalScore).toBeUndefined();
    // How well each matches the question itself, before feedback: the answerer cites by it.
    expect(hits[0]!.questionScore).toBe(1);
    expect(hits[1]!.questionScore).toBe(0);
  });

  it('the feedback query is the characteristic terms of the weighted papers', () => {
    const like = index.searchLike([{ id: 'match', weight: 1 }], 3, 40);
    expect(ids(like.map((hit) => ({ paper: { id: hit.id } as Paper })))).toEqual(['match', 'kin']);
    // One term: the heaviest by mass times IDF is the paper's own rare word.
    expect(index.searchLike([{ id: 'match', weight: 1 }], 3, 1).map((hit) => hit.id)).toEqual(['match']);
    expect(index.searchLike([{ id: 'unknown', weight: 1 }], 3, 40)).toEqual([]);
  });
});
