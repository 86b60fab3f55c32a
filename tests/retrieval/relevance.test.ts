import { describe, expect, it } from 'vitest';
import { renderHits } from '../../adapters/cli/render.ts';
import { searchEmbed } from '../../adapters/discord/embeds.ts';
import { renderPapers } from '../../adapters/slack/listing-blocks.ts';
import type { Paper } from '../../src/corpus/paper.ts';
import {
  GOOD_MATCH,
  hasGoodMatch,
  LOCAL_RELEVANCE_MODEL_ID,
  relevanceLabel,
  scoreRelevance,
} from '../../src/retrieval/relevance.ts';
import type { SearchHit } from '../../src/retrieval/types.ts';

const PAPER: Paper = {
  id: '2401.00001',
  title: 'Successor Heads: Recurring Attention Heads',
  abstract: 'We find successor heads that increment tokens such as Monday to Tuesday.',
};

describe('search relevance', () => {
  it('rises with the share of query terms a paper holds and its passage similarity', () => {
    const [covered, uncovered] = scoreRelevance(
      'successor heads',
      [
        { paper: PAPER, score: 1, denseScore: 0.6 },
        {
          paper: { ...PAPER, id: 'b', title: 'Other', abstract: 'Unrelated text.' },
          score: 0.9,
          denseScore: 0.6,
        },
      ],
      () => 1,
      LOCAL_RELEVANCE_MODEL_ID,
    );
    expect(covered!.relevance).toBeGreaterThan(0.5);
    expect(uncovered!.relevance).toBeLessThan(GOOD_MATCH);
    // The fused score says nothing absolute: a top hit scoring 1.0 can still be no good match.
    expect(hasGoodMatch([uncovered!])).toBe(false);
    expect(hasGoodMatch([uncovered!, covered!])).toBe(true);
  });

  it('ignores the cosine of an embedding model it was not fitted on', () => {
    const hit = (denseScore: number): SearchHit => ({ paper: PAPER, score: 1, denseScore });
    const [low, high] = scoreRelevance('successor heads', [hit(0.1), hit(0.9)], () => 1, 'openai:other');
    expect(low!.relevance).toBe(high!.relevance);
  });

  it('labels relevance high, medium or low', () => {
    expect([0.9, 0.5, 0.3, 0.15, 0.1].map(relevanceLabel)).toEqual([
      'high',
      'high',
      'medium',
      'medium',
      'low',
    ]);
  });

  it('renders relevance and "no good match" in the CLI, Slack and Discord', () => {
    const weak: SearchHit[] = [{ paper: PAPER, score: 1, relevance: 0.02 }];
    const strong: SearchHit[] = [{ paper: PAPER, score: 1, relevance: 0.83 }];
    expect(renderHits(weak, 'protein folding')).toMatch(
      /^No good match for "protein folding"[^\n]*\n 1\. low {4}0\.02 /,
    );
    expect(renderHits(strong)).toMatch(/^ 1\. high {3}0\.83 /);
    const slack = (hits: SearchHit[]) => JSON.stringify(renderPapers('q', hits).blocks);
    expect(slack(weak)).toContain('No good match');
    expect(slack(strong)).not.toContain('No good match');
    expect(slack(strong)).toContain('relevance high (0.83)');
    expect(searchEmbed('q', weak).description).toMatch(/^\*No good match/);
    expect(searchEmbed('q', strong).description).toContain('relevance high (0.83)');
  });
});
