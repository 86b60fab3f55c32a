import { describe, expect, it } from 'vitest';
import { answerEmbeds, digestEmbeds, MAX_ANSWER_EMBEDS, packEmbeds } from '../../adapters/discord/embeds.ts';
import { escapeUntrusted } from '../../adapters/discord/markdown.ts';
import type { Answer } from '../../src/answering/answerer.ts';
import { fakeAnswer } from '../fakes/fake-bot.ts';

function answerWith(text: string): Answer {
  return fakeAnswer(text, [
    { n: 1, paperId: '2401.00001', title: 'First', link: 'https://arxiv.org/abs/2401.00001', score: 1 },
  ]);
}

describe('Discord rendering of hostile text', () => {
  it('sends a 200 KB answer as a few messages ending with a truncation note', () => {
    const embeds = answerEmbeds('q', answerWith('A long sentence about layers [1]. '.repeat(6_000)));
    expect(embeds.filter((embed) => embed.description).length).toBeLessThanOrEqual(MAX_ANSWER_EMBEDS);
    expect(packEmbeds(embeds).length).toBeLessThanOrEqual(3);
    expect(JSON.stringify(embeds)).toContain('…(truncated)');
    expect(embeds.at(-1)!.fields?.[0]?.name).toBe('Sources');
  });

  it('strips escape sequences, bidi overrides and zero-width characters from answers and digests', () => {
    expect(escapeUntrusted('\u001b[31mRed\u001b[0m \u202Eevil\u202C zero\u200bwidth')).toBe(
      'Red evil zerowidth',
    );
    const digest = digestEmbeds({
      title: 'Trending \u202Epapers',
      date: '2026-07-31',
      items: [{ rank: 1, paperId: '1', title: 'T\u001b[1mitle', summary: 'S\u2066um', links: {}, score: 1 }],
    });
    expect(JSON.stringify(digest)).not.toMatch(/\\u001b|\u202e|\u2066/i);
  });
});
