import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.ts';
import { PaperbotError } from '../../src/errors.ts';
import type { Retriever, SearchHit, SearchOptions } from '../../src/retrieval/types.ts';
import { filterByTopic } from '../../src/trending/topic-filter.ts';

const papers: Paper[] = [
  { id: 'r1', title: 'Dense Retrieval for Long Documents', abstract: 'A retriever for long inputs.' },
  { id: 'i1', title: 'Sparse Autoencoders', abstract: 'Mechanistic interpretability of language models.' },
  { id: 'v1', title: 'Video Diffusion', abstract: 'Generating video.', aiKeywords: ['retrieval-free'] },
  { id: 'x1', title: 'Retrievability Scores', abstract: 'Not about the topic.' },
];

/** A retriever with fixed dense similarities, recording its queries. */
class FixedRetriever implements Retriever {
  readonly queries: { query: string; options?: SearchOptions }[] = [];
  constructor(private readonly similarities: Record<string, number>) {}
  async search(query: string, options?: SearchOptions): Promise<SearchHit[]> {
    this.queries.push({ query, options });
    return Object.entries(this.similarities).map(([id, denseScore]) => ({
      paper: papers.find((paper) => paper.id === id) ?? { id, title: id, abstract: '' },
      score: denseScore,
      denseScore,
    }));
  }
}

describe('filterByTopic', () => {
  it('matches keywords as whole words in title, abstract or feed keywords, any case', async () => {
    const kept = await filterByTopic(papers, { keywords: ['retrieval'] });
    expect(kept.map((paper) => paper.id)).toEqual(['r1', 'v1']);
    const prefixed = await filterByTopic(papers, { keywords: ['retriev*'] });
    expect(prefixed.map((paper) => paper.id)).toEqual(['r1', 'v1', 'x1']);
  });

  it('keeps papers whose dense similarity to the query reaches the threshold', async () => {
    const retriever = new FixedRetriever({ i1: 0.62, r1: 0.29, other: 0.9 });
    const kept = await filterByTopic(papers, { query: 'interpretability', threshold: 0.3 }, { retriever });
    expect(kept.map((paper) => paper.id)).toEqual(['i1']);
    expect(retriever.queries[0]?.options?.mode).toBe('dense');
  });

  it('judges papers the retriever does not know by the words of the query', async () => {
    const retriever = new FixedRetriever({ elsewhere: 0.9 });
    const kept = await filterByTopic(papers, { query: 'long documents' }, { retriever });
    expect(kept.map((paper) => paper.id)).toEqual(['r1']);
  });

  it('matches every word of the query when there is no retriever', async () => {
    const kept = await filterByTopic(papers, { query: 'retrieval of long documents' });
    expect(kept.map((paper) => paper.id)).toEqual(['r1']);
  });

  it('rejects a filter with neither keywords nor query', async () => {
    await expect(filterByTopic(papers, { keywords: [' '] })).rejects.toBeInstanceOf(PaperbotError);
  });
});
