import { describe, expect, it } from 'vitest';
import { answerEmbeds } from '../../adapters/discord/embeds.ts';
import { type KnownBlock, renderAnswer } from '../../adapters/slack/answer-blocks.ts';
import type { Answer } from '../../src/answering/answerer.ts';

/** An answer of the given outcome with one source. */
function answerOf(outcome: 'answered' | 'uncertain' | 'declined'): Answer {
  return {
    answer:
      outcome === 'declined'
        ? 'I found no paper in the corpus about "protein folding".'
        : outcome === 'uncertain'
          ? 'The closest papers are "Layer by layer" [1]; the abstracts may not answer this.'
          : 'From the abstracts in the corpus:\n- Layer by layer: Intermediate layers win [1]',
    declined: outcome === 'declined',
    outcome,
    confidence: outcome === 'answered' ? 0.9 : outcome === 'uncertain' ? 0.4 : 0.05,
    citations: outcome === 'declined' ? [] : [{ n: 1, paperId: '2502.02013', title: 'Layer by layer' }],
    sources:
      outcome === 'declined'
        ? []
        : [
            {
              n: 1,
              paperId: '2502.02013',
              title: 'Layer by layer',
              link: 'https://arxiv.org/abs/2502.02013',
              score: 0.8,
            },
          ],
    answerer: 'extractive',
  };
}

function slackSections(answer: Answer): string[] {
  return renderAnswer(answer, 'q').flatMap((message) =>
    message.blocks.flatMap((block: KnownBlock) =>
      block.type === 'section' && block.text ? [block.text.text] : [],
    ),
  );
}

describe('the three outcomes are shown differently', () => {
  it('Slack lists an uncertain answer’s papers as closest, not as sources', () => {
    expect(slackSections(answerOf('uncertain')).some((text) => text.startsWith('*Closest papers*'))).toBe(
      true,
    );
    expect(slackSections(answerOf('uncertain')).some((text) => text.startsWith('*Sources*'))).toBe(false);
    expect(slackSections(answerOf('answered')).some((text) => text.startsWith('*Sources*'))).toBe(true);
  });

  it('Discord gives each outcome its own colour, source heading and note', () => {
    const [answered] = answerEmbeds('q', answerOf('answered')).slice(-1);
    const [uncertain] = answerEmbeds('q', answerOf('uncertain')).slice(-1);
    const [declined] = answerEmbeds('q', answerOf('declined')).slice(-1);
    expect(new Set([answered!.color, uncertain!.color, declined!.color]).size).toBe(3);
    expect(answered!.fields?.[0]?.name).toBe('Sources');
    expect(uncertain!.fields?.[0]?.name).toBe('Closest papers');
    expect(uncertain!.footer?.text).toMatch(/may not answer/);
    expect(declined!.footer?.text).toMatch(/No abstract in the corpus supports an answer/);
  });
});
