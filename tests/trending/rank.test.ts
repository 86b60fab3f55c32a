import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.ts';
import { decayedUpvotes, rankPapers } from '../../src/trending/rank.ts';

const paper = (id: string, fields: Partial<Paper>): Paper => ({
  id,
  title: id,
  abstract: 'abstract',
  dailyPapersAt: '2026-07-31T00:00:00.000Z',
  ...fields,
});

describe('rankPapers', () => {
  it('follows the trending order where the feed gives it, before papers without one', () => {
    const ranked = rankPapers([
      paper('a', { upvotes: 500 }),
      paper('b', { upvotes: 3, trendingRank: 2 }),
      paper('c', { upvotes: 1, trendingRank: 1 }),
    ]);
    expect(ranked.map((entry) => entry.paper.id)).toEqual(['c', 'b', 'a']);
    expect(ranked.map((entry) => entry.rank)).toEqual([1, 2, 3]);
  });

  it('ranks by upvotes decayed by age, so a fresh paper beats an older one with a few more votes', () => {
    const fresh = paper('fresh', { upvotes: 40, publishedAt: '2026-07-30T00:00:00.000Z' });
    const old = paper('old', { upvotes: 50, publishedAt: '2026-07-01T00:00:00.000Z' });
    expect(rankPapers([old, fresh]).map((entry) => entry.paper.id)).toEqual(['fresh', 'old']);
    expect(
      rankPapers([old, fresh], { halfLifeDays: Number.POSITIVE_INFINITY }).map((entry) => entry.paper.id),
    ).toEqual(['old', 'fresh']);
  });

  it('halves the upvotes after one half-life', () => {
    const twoDaysOld = paper('x', { upvotes: 80, publishedAt: '2026-07-30T00:00:00.000Z' });
    expect(decayedUpvotes(twoDaysOld, 2)).toBeCloseTo(40);
  });

  it('puts the newest Daily-Papers day first', () => {
    const ranked = rankPapers([
      paper('older', { upvotes: 900, dailyPapersAt: '2026-07-30T00:00:00.000Z' }),
      paper('newer', { upvotes: 1 }),
    ]);
    expect(ranked.map((entry) => entry.paper.id)).toEqual(['newer', 'older']);
  });

  it('drops excluded papers before taking the top N', () => {
    const papers = ['p1', 'p2', 'p3', 'p4'].map((id, index) => paper(id, { upvotes: 10 - index }));
    const ranked = rankPapers(papers, { limit: 2, exclude: new Set(['p1']) });
    expect(ranked.map((entry) => entry.paper.id)).toEqual(['p2', 'p3']);
  });
});
