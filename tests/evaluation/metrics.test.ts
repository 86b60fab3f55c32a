import { describe, expect, it } from 'vitest';
import { recallAt, topGradeRecallAt } from '../../src/evaluation/metrics.ts';

describe('retrieval metrics', () => {
  it('Recall@10 of the most relevant papers counts only the highest grade judged for the question', () => {
    const judgments = new Map([
      ['answers-1', 2],
      ['answers-2', 2],
      ['related-1', 1],
      ['related-2', 1],
      ['unrelated', 0],
    ]);
    const ranked = ['answers-1', 'related-1', 'unrelated', 'x', 'y', 'z', 'v', 'w', 'u', 't', 'answers-2'];
    // answers-2 is 11th: one of two answering papers, one of two related ones in the top ten.
    expect(recallAt(ranked, judgments)).toBe(0.5);
    expect(topGradeRecallAt(ranked, judgments)).toBe(0.5);
    // Both answering papers in the top ten, no related one: all of the top grade, half of the rest.
    const answering = ['answers-2', 'answers-1', 'unrelated'];
    expect(topGradeRecallAt(answering, judgments)).toBe(1);
    expect(recallAt(answering, judgments)).toBe(0.5);
    // A set judged with one grade only: the same figure as Recall@10.
    const flat = new Map([
      ['a', 1],
      ['b', 1],
    ]);
    expect(topGradeRecallAt(['a', 'c'], flat)).toBe(recallAt(['a', 'c'], flat));
    // Nothing relevant judged: 0, as recallAt.
    expect(topGradeRecallAt(['a'], new Map([['a', 0]]))).toBe(0);
    expect(topGradeRecallAt(['a'], new Map())).toBe(0);
  });
});
