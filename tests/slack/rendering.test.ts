import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type KnownBlock,
  renderAnswer,
  SLACK_LIMITS,
  type SlackMessage,
} from '../../adapters/slack/answer-blocks.ts';
import { renderDigest, renderPapers } from '../../adapters/slack/listing-blocks.ts';
import { plainFromSlack, safeText, safeUrl, splitMrkdwn } from '../../adapters/slack/mrkdwn.ts';
import type { Answer } from '../../src/answering/answerer.ts';
import { fakeAnswer } from '../fakes/fake-bot.ts';

const HOSTILE =
  'Hi <!channel> and @here, <!everyone> <@U123|bob> <#C42|general> <!subteam^S1|@team> <https://evil.example|click me> & more';
/** Slack control sequences that would ping someone or link somewhere. */
const PING_OR_LINK = /<[!@#]|<https?:\/\/evil|@here|@channel|@everyone/i;

function answerWith(text: string): Answer {
  return fakeAnswer(
    text,
    [
      {
        n: 1,
        paperId: '2401.00001',
        title: 'First <!here>',
        link: 'https://arxiv.org/abs/2401.00001',
        score: 0.9,
      },
      { n: 2, paperId: 'seed-2', title: 'Second', link: 'javascript:alert(1)', score: 0.5 },
    ],
    [{ n: 1, paperId: '2401.00001', title: 'First' }],
  );
}

function sectionTexts(message: SlackMessage): string[] {
  return message.blocks.flatMap((block: KnownBlock) =>
    block.type === 'section' && block.text ? [block.text.text] : [],
  );
}

function expectWithinLimits(messages: SlackMessage[]): void {
  for (const message of messages) {
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    expect(JSON.stringify(message.blocks).length).toBeLessThanOrEqual(12_000);
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackChars);
    expect(message.text.length).toBeGreaterThan(0);
    for (const text of sectionTexts(message))
      expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
  }
}

describe('Slack rendering', () => {
  it('escapes &, < and > and defuses mass mentions', () => {
    expect(safeText('a & b <c>')).toBe('a &amp; b &lt;c&gt;');
    expect(safeText('@here')).not.toBe('@here');
    expect(safeText(HOSTILE)).not.toMatch(PING_OR_LINK);
  });

  it('renders a hostile answer without pings or injected links, linking only real citations', () => {
    const [message] = renderAnswer(answerWith(`${HOSTILE} [1] [2] [7]`), 'q');
    const json = JSON.stringify(message!.blocks);
    expect(json.replace('https://arxiv.org/abs/2401.00001|[1]', '')).not.toMatch(PING_OR_LINK);
    expect(message!.text).not.toMatch(PING_OR_LINK);
    expect(json).toContain('<https://arxiv.org/abs/2401.00001|[1]>');
    expect(json).not.toContain('javascript:');
    expect(json).toContain('[7]');
    for (const block of message!.blocks) {
      if (block.type === 'section') expect(block.text).toMatchObject({ type: 'mrkdwn', verbatim: true });
    }
  });

  it('renders an abstract containing <!channel> and @here without a ping', () => {
    const paper = {
      id: '2401.00009',
      title: '<@U999> Title',
      abstract: 'We <!channel> show @here that it works. More.',
    };
    const message = renderPapers('q', [{ paper, score: 0.5 }], { shareQuery: 'q' });
    expect(JSON.stringify(message.blocks)).not.toMatch(PING_OR_LINK);
    expect(JSON.stringify(message.blocks)).toContain('&lt;!channel&gt;');
  });

  it('splits a 10,000-character answer into sections within Slack limits, losing nothing', () => {
    const sentence = 'Intermediate layers & representations <matter> [1]. ';
    const text = sentence.repeat(Math.ceil(10_000 / sentence.length)).slice(0, 10_000);
    const messages = renderAnswer(answerWith(text), 'q');
    expectWithinLimits(messages);
    const sections = messages.flatMap(sectionTexts).filter((section) => !section.startsWith('*Sources*'));
    expect(sections.length).toBeGreaterThanOrEqual(4);
    // Citation markers link to the paper on arXiv; the plain text keeps such an address after its label.
    const rejoined = plainFromSlack(sections.join(' '))
      .replace(/ \(https:\/\/arxiv\.org\/abs\/[^)]+\)/g, '')
      .replace(/\s+/g, ' ');
    expect(rejoined).toBe(text.replace(/\s+/g, ' ').trim());
  });

  it('spreads a huge answer over several messages, feedback buttons on the last', () => {
    const messages = renderAnswer(answerWith('&<>'.repeat(20_000)), 'q');
    expect(messages.length).toBeGreaterThan(1);
    expectWithinLimits(messages);
    expect(JSON.stringify(messages.at(-1)!.blocks)).toContain('paperbot_feedback_up');
    expect(JSON.stringify(messages[0]!.blocks)).not.toContain('paperbot_feedback_up');
  });

  it('never cuts inside a link or an entity when splitting', () => {
    const piece = fc.constantFrom(
      'word',
      ' ',
      '\n',
      '&amp;',
      '&lt;',
      '<https://a.example/x|label [1]>',
      'x'.repeat(40),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 400 }), fc.integer({ min: 60, max: 300 }), (pieces, limit) => {
        for (const chunk of splitMrkdwn(pieces.join(''), limit)) {
          expect(chunk.length).toBeLessThanOrEqual(limit);
          expect(chunk.split('<').length).toBe(chunk.split('>').length);
          expect(chunk).not.toMatch(/&[a-z]*$/);
          expect(chunk).not.toMatch(/^[a-z]*;/);
        }
      }),
    );
  });

  it('keeps a digest within 50 blocks with a plain-text fallback', () => {
    const items = Array.from({ length: 80 }, (_, index) => ({
      rank: index + 1,
      paperId: `2401.${String(index).padStart(5, '0')}`,
      title: `Paper ${index} <!here>`,
      summary: 'A summary. '.repeat(20),
      links: { abs: `https://arxiv.org/abs/2401.${String(index).padStart(5, '0')}` },
      score: 1,
      upvotes: 3,
      authors: 'A. Smith et al.',
    }));
    const message = renderDigest({ title: 'Trending papers', date: '2026-07-13', items });
    expectWithinLimits([message]);
    expect(message.blocks[0]!.type).toBe('header');
    expect(message.text).toContain('Trending papers · 2026-07-13');
    expect(JSON.stringify(message.blocks)).not.toMatch(PING_OR_LINK);
    expect(renderDigest({ title: 'T', date: '2026-07-13', items: [], note: 'Quiet day.' }).text).toContain(
      'Quiet day.',
    );
  });

  it('reads Slack message text back as plain text', () => {
    expect(plainFromSlack('<@UBOT> is &lt;b&gt; &amp; <https://x.example|this> by <@U1|ann>?', 'UBOT')).toBe(
      'is <b> & this by @ann?',
    );
  });

  it('keeps the address of a labelled arXiv link, which names the paper', () => {
    expect(
      plainFromSlack('<@UBOT> what does <https://arxiv.org/abs/2406.11944|this one> find?', 'UBOT'),
    ).toBe('what does this one (https://arxiv.org/abs/2406.11944) find?');
    expect(plainFromSlack('see <https://arxiv.org/abs/2406.11944>')).toBe(
      'see https://arxiv.org/abs/2406.11944',
    );
  });

  it('accepts only http(s) URLs for links', () => {
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('not a url')).toBeUndefined();
    expect(safeUrl('https://a.example/x?a=1&b=|')).toBe('https://a.example/x?a=1&amp;b=%7C');
  });
});
