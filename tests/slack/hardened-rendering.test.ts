import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  feedbackValue,
  MAX_ANSWER_SECTIONS,
  renderAnswer,
  SLACK_LIMITS,
} from '../../adapters/slack/answer-blocks.ts';
import { parseFeedbackValue } from '../../adapters/slack/feedback.ts';
import { renderDigest, renderPapers } from '../../adapters/slack/listing-blocks.ts';
import { plainFromSlack, safeText } from '../../adapters/slack/mrkdwn.ts';
import type { Answer } from '../../src/answering/answerer.ts';
import { fakeAnswer } from '../fakes/fake-bot.ts';

const WORD_JOINER = '\u2060';

function answerWith(text: string, paperIds = ['2401.00001']): Answer {
  const sources = paperIds.map((paperId, index) => ({
    n: index + 1,
    paperId,
    title: `Paper ${index + 1}`,
    link: 'https://arxiv.org/abs/2401.00001',
    score: 0.9,
  }));
  return fakeAnswer(text, sources);
}

/** A formatting marker with a space, the text's edge or punctuation on its outer side: Slack would format it. */
const LIVE_MARKER = /(^|[\s(.,;:!?"'])[*_~`][^\s\u2060]|[^\s\u2060][*_~`]($|[\s).,;:!?"'])/;

describe('Slack rendering of hostile text', () => {
  it('keeps the feedback value within 2,000 characters when cited ids alone exceed it', () => {
    // Before: the loop only shortened the question, so ids over the limit never fitted (endless loop).
    const ids = Array.from({ length: 5 }, (_, index) => `${index}-${'x'.repeat(600)}`);
    const value = feedbackValue('what do layers encode?', ids);
    expect(value.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValueChars);
    const parsed = parseFeedbackValue(value)!;
    expect(parsed.p).toEqual(ids.slice(0, 3));
    expect(parsed.q.length).toBeGreaterThan(0);
    const blocks = renderAnswer(answerWith('text [1]', ids), 'q'.repeat(3_000));
    expect(JSON.stringify(blocks).length).toBeGreaterThan(0);
  });

  it('gives a parseable feedback value within the limit for any question and ids', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 3_000, unit: 'grapheme' }),
        fc.array(fc.string({ maxLength: 2_500 }), { maxLength: 25 }),
        (question, ids) => {
          const value = feedbackValue(question, ids);
          expect(value.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValueChars);
          const parsed = parseFeedbackValue(value)!;
          expect(question.startsWith(parsed.q)).toBe(true);
          for (const id of parsed.p) expect(ids).toContain(id);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('shows *bold*, _italic_, ~strike~ and `code` from titles and abstracts literally', () => {
    const text = 'A *bold* claim, _italic_ words, ~struck~ and `code` and ```block```';
    const safe = safeText(text);
    expect(safe).not.toMatch(LIVE_MARKER);
    expect(safe.replaceAll(WORD_JOINER, '')).toBe(text);
    const papers = renderPapers('q', [
      { paper: { id: '1', title: '*Bold* _title_', abstract: '~Struck~ `abstract`.' }, score: 1 },
    ]);
    const listed = JSON.stringify(papers.blocks);
    expect(listed).toContain(`${WORD_JOINER}*${WORD_JOINER}Bold${WORD_JOINER}*${WORD_JOINER}`);
    expect(listed).toContain(`${WORD_JOINER}~${WORD_JOINER}Struck${WORD_JOINER}~${WORD_JOINER}`);
  });

  it('strips escape sequences, bidi overrides and zero-width characters from answers and titles', () => {
    const answer = answerWith('\u001b[2J\u001b[31mRed\u001b[0m \u202Eevil\u202C zero\u200bwidth [1]');
    answer.sources[0]!.title = 'Title \u202E with override\u0007';
    const json = JSON.stringify(renderAnswer(answer, 'q'));
    expect(json).not.toMatch(/\\u001b|\u202e|\u200b|\\u0007/i);
    expect(json).toContain('Red evil zerowidth');
    expect(plainFromSlack('a\u202Eb\u200bc')).toBe('abc');
  });

  it('shows the digest date once in the header', () => {
    const digest = { title: 'Trending papers · 2026-07-31', date: '2026-07-31', items: [] };
    const message = renderDigest(digest);
    expect(JSON.stringify(message.blocks[0])).toContain('"Trending papers · 2026-07-31"');
    expect(message.text.match(/2026-07-31/g)).toHaveLength(1);
    expect(JSON.stringify(renderDigest({ ...digest, title: 'Trending papers' }).blocks[0])).toContain(
      'Trending papers · 2026-07-31',
    );
  });

  it('posts a 200 KB answer as a few messages ending with a truncation note', () => {
    const messages = renderAnswer(answerWith(`${'A long sentence about layers [1]. '.repeat(6_000)}`), 'q');
    expect(messages.length).toBeLessThanOrEqual(3);
    const sections = messages.flatMap((message) =>
      message.blocks.flatMap((block) => (block.type === 'section' && block.text ? [block.text.text] : [])),
    );
    expect(sections.length).toBeLessThanOrEqual(MAX_ANSWER_SECTIONS + 1);
    expect(JSON.stringify(messages)).toContain('…(truncated)');
    expect(JSON.stringify(messages)).toContain('paperbot_feedback_up');
  });
});
