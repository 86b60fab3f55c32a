import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAnswer, SLACK_LIMITS, type SlackMessage } from '../../adapters/slack/answer-blocks.ts';
import { renderPapers } from '../../adapters/slack/listing-blocks.ts';
import { plainFromSlack } from '../../adapters/slack/mrkdwn.ts';
import type { Answer } from '../../src/answering/answerer.ts';
import { MAX_QUESTION_LENGTH } from '../../src/bot-types.ts';
import { loadConfig } from '../../src/config/config.ts';
import { hasCode } from '../../src/errors.ts';
import { silentLogger } from '../../src/logger.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { copyBundledIndex } from '../helpers/temp-index.ts';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Longest answer text the offline core may produce for any question (characters). */
const MAX_ANSWER_LENGTH = 8_000;

const codeUnit = (from: number, to: number) =>
  fc.integer({ min: from, max: to }).map((code) => String.fromCharCode(code));
const controlChars = fc.string({ unit: codeUnit(0, 0x1f), maxLength: 30 });
const loneSurrogates = fc.string({ unit: codeUnit(0xd800, 0xdfff), maxLength: 10 });
const markupPieces = fc.constantFrom(
  '<@U0123ABC>',
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '@everyone',
  '@here',
  '<@&123456789012345678>',
  '<#C0123|general>',
  '<https://evil.example|click me>',
  '**bold** _it_ ~strike~ `code`',
  '```\nblock\n```',
  '> quote',
  '[link](javascript:alert(1))',
  '&lt;&gt;&amp;',
  '\u0000',
  '\u202e\u200b\ufeff',
  '[1] [2] [99]',
  'what do intermediate layers encode?',
  'attention',
);
const markupSoup = fc
  .array(fc.oneof(markupPieces, fc.string({ maxLength: 20 })), { maxLength: 12 })
  .map((parts) => parts.join(' '));
/** Questions a hostile or careless user could send. */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  controlChars,
  loneSurrogates,
  markupSoup,
  fc
    .tuple(markupSoup, controlChars, loneSurrogates, fc.string({ unit: 'binary' }))
    .map((parts) => parts.join('')),
  fc
    .integer({ min: MAX_QUESTION_LENGTH - 5, max: MAX_QUESTION_LENGTH + 5 })
    .map((length) => 'a'.repeat(length)),
);

let runtime: Runtime;
let cleanup: () => void;

beforeAll(async () => {
  const index = copyBundledIndex();
  cleanup = index.cleanup;
  runtime = await createRuntime(loadConfig({ PAPERBOT_INDEX_DIR: index.dir }), silentLogger());
});

afterAll(async () => {
  await runtime?.close();
  cleanup?.();
});

/** A reply, or the clear usage error for unusable input; anything else fails the property. */
async function askSafely(question: string): Promise<Answer | 'usage'> {
  try {
    return await runtime.bot.ask(question);
  } catch (error) {
    if (hasCode(error, 'QUESTION_EMPTY') || hasCode(error, 'QUESTION_TOO_LONG')) return 'usage';
    throw error;
  }
}

function expectBoundedAnswer(answer: Answer): void {
  expect(typeof answer.answer).toBe('string');
  expect(answer.answer.length).toBeGreaterThan(0);
  expect(answer.answer.length).toBeLessThanOrEqual(MAX_ANSWER_LENGTH);
  expect(answer.answer).not.toMatch(LONE_SURROGATE);
  expect(answer.answer).not.toContain('\u0000');
  expect(answer.sources.length).toBeLessThanOrEqual(10);
  const numbers = new Set(answer.sources.map((source) => source.n));
  for (const citation of answer.citations) expect(numbers.has(citation.n)).toBe(true);
  expect(() => JSON.stringify(answer)).not.toThrow();
}

/** Every Slack message within limits, and no `<…>` but our own links (so no pings or injected links). */
function expectSafeSlack(messages: SlackMessage[]): void {
  expect(messages.length).toBeGreaterThan(0);
  for (const message of messages) {
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackChars);
    for (const block of message.blocks) {
      const text = block.type === 'section' ? (block.text?.text ?? '') : '';
      expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
      for (const match of text.matchAll(/<[^>]*>?/g))
        expect(match[0]).toMatch(/^<https:\/\/[^<>|]+\|[^<>]*>$/);
      expect(text).not.toMatch(/@(everyone|here|channel)\b(?![^<]*>)/);
    }
    expect(JSON.stringify(message.blocks).length).toBeLessThan(13_000);
  }
}

describe('hostile input through the core', () => {
  it('answers or declines within bounds, or gives a usage error, for any text', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (question) => {
        const result = await askSafely(question);
        if (result !== 'usage') expectBoundedAnswer(result);
      }),
      { numRuns: 120 },
    );
  });

  it('refuses 100 KB of text as too long, fast, and also as a search', async () => {
    const huge = `${'why do transformers '.repeat(5_000)}`.slice(0, 100_000);
    const started = Date.now();
    await expect(runtime.bot.ask(huge)).rejects.toMatchObject({ code: 'QUESTION_TOO_LONG' });
    await expect(runtime.bot.search(huge)).rejects.toMatchObject({ code: 'QUESTION_TOO_LONG' });
    await expect(runtime.bot.ask('\u0000'.repeat(100_000))).rejects.toMatchObject({ code: 'QUESTION_EMPTY' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('searches any text without crashing, returning at most k papers', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, fc.integer({ min: -5, max: 500 }), async (query, k) => {
        try {
          const hits = await runtime.bot.search(query, { k });
          expect(hits.length).toBeLessThanOrEqual(100);
          for (const hit of hits) expect(Number.isFinite(hit.score)).toBe(true);
        } catch (error) {
          expect(hasCode(error, 'QUESTION_EMPTY') || hasCode(error, 'QUESTION_TOO_LONG')).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('hostile input through the Slack renderers', () => {
  it('renders the real answer to any Slack message text within Slack limits, without pings', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (raw) => {
        const question = plainFromSlack(raw, 'UBOT');
        const result = await askSafely(question);
        if (result === 'usage') return;
        expectSafeSlack(renderAnswer(result, question));
      }),
      { numRuns: 60 },
    );
  });

  it('renders hostile answer text, titles and queries within Slack limits, without pings', () => {
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 0, max: 20_000 }), (text, padding) => {
        const answerText = `${text}${'x'.repeat(padding)}${text}`;
        const answer: Answer = {
          answer: answerText,
          declined: false,
          citations: [{ n: 1, paperId: '2401.00001', title: text }],
          sources: [
            { n: 1, paperId: '2401.00001', title: text, link: 'https://arxiv.org/abs/2401.00001', score: 1 },
          ],
          answerer: 'test',
        };
        expectSafeSlack(renderAnswer(answer, text));
        const hits = [{ paper: { id: '2401.00001', title: text, abstract: answerText }, score: 0.5 }];
        expectSafeSlack([renderPapers(text, hits, { shareQuery: text })]);
      }),
      { numRuns: 150 },
    );
  });
});

// TODO(discord): run the same properties through adapters/discord/* renderers once they land.
