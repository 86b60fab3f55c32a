import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.ts';
import { PaperbotError } from '../../src/errors.ts';
import {
  DEFAULT_TOPIC_THRESHOLD,
  filterByTopic,
  isJudgeCandidate,
  scoreTopic,
} from '../../src/trending/topic-filter.ts';

const papers: Paper[] = [
  { id: 'r1', title: 'Dense Retrieval for Long Documents', abstract: 'A retriever for long inputs.' },
  { id: 'i1', title: 'Sparse Autoencoders', abstract: 'Mechanistic interpretability of language models.' },
  { id: 'v1', title: 'Video Diffusion', abstract: 'Generating video.', aiKeywords: ['retrieval-free'] },
  { id: 'x1', title: 'Retrievability Scores', abstract: 'Not about the topic.' },
];

const speech: Paper[] = [
  {
    id: 's1',
    title: 'Streaming Speech Recognition with Small Models',
    abstract: 'We build an ASR system for spoken dialogue. Speech is transcribed as it arrives.',
  },
  {
    id: 'v2',
    title: 'Vision Transformers at Scale',
    abstract: 'We train image classifiers. Unlike audio models, they see pixels.',
  },
  {
    id: 'g1',
    title: 'Graph Neural Networks for Molecules',
    abstract: 'A graph neural network predicts molecular properties from graph structure.',
  },
  { id: 'n1', title: 'Neural Networks for Tabular Data', abstract: 'Deep neural networks on spreadsheets.' },
];

describe('filterByTopic', () => {
  it('matches keywords as whole words in title, abstract or feed keywords, any case', async () => {
    const kept = await filterByTopic(papers, { keywords: ['retrieval'] });
    expect(kept.map((paper) => paper.id)).toEqual(['r1', 'v1']);
    const prefixed = await filterByTopic(papers, { keywords: ['retriev*'] });
    expect(prefixed.map((paper) => paper.id)).toEqual(['r1', 'v1', 'x1']);
  });

  it('keeps a paper that is about a known topic, not one that mentions it in passing', async () => {
    const kept = await filterByTopic(speech, { query: 'speech and audio' });
    expect(kept.map((paper) => paper.id)).toEqual(['s1']);
    const { evidence, scores } = scoreTopic(speech, 'Speech and Audio');
    expect(evidence.profile).toBe('speech and audio');
    expect(scores[0]).toBeGreaterThanOrEqual(DEFAULT_TOPIC_THRESHOLD);
    expect(scores[1]).toBeGreaterThan(0);
    expect(scores[1]).toBeLessThan(DEFAULT_TOPIC_THRESHOLD);
  });

  it('matches a free-text topic on its own words, the whole phrase counting most', async () => {
    const { evidence, scores } = scoreTopic(speech, 'graph neural networks');
    expect(evidence.profile).toBeUndefined();
    expect(scores[2]).toBeGreaterThan(scores[3] ?? 1);
    const kept = await filterByTopic(speech, { query: 'graph neural networks' });
    expect(kept.map((paper) => paper.id)).toContain('g1');
    expect(kept.map((paper) => paper.id)).not.toContain('s1');
  });

  it('asks the judge about a free-text paper with any evidence of the topic, a known topic only above the cut', () => {
    const free = scoreTopic(speech, 'neural networks');
    // At a cut no score reaches, a paper naming the topic is still asked about; one without a word of it is not.
    expect(Math.max(...free.scores)).toBeLessThan(1);
    expect(free.signals[3]?.evidence).toBeGreaterThan(0);
    expect(isJudgeCandidate(free, 3, 1)).toBe(true);
    expect(isJudgeCandidate(free, 0, 1)).toBe(false);
    const known = scoreTopic(speech, 'speech and audio');
    expect(known.signals[1]?.evidence).toBeGreaterThan(0);
    expect(isJudgeCandidate(known, 1, 1)).toBe(false);
    expect(isJudgeCandidate(known, 0, 0.1)).toBe(true);
  });

  it('lets the threshold trade precision for recall (0 keeps all, 1 keeps none)', async () => {
    expect(await filterByTopic(speech, { query: 'speech and audio', threshold: 0 })).toHaveLength(4);
    expect(await filterByTopic(speech, { query: 'speech and audio', threshold: 1 })).toHaveLength(0);
  });

  it('rejects a filter with neither keywords nor query, or a query of stopwords only', async () => {
    await expect(filterByTopic(papers, { keywords: [' '] })).rejects.toBeInstanceOf(PaperbotError);
    await expect(filterByTopic(papers, { query: 'the and of' })).rejects.toThrow(
      /"the and of" has no content words/,
    );
    await expect(filterByTopic(papers, { query: 'speech', threshold: 2 })).rejects.toThrow(/outside 0\.\.1/);
  });
});
