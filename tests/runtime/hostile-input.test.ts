import type { APIEmbed } from 'discord.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerEmbeds,
  digestEmbeds,
  FOOTER_RESERVE,
  packEmbeds,
  searchEmbed,
} from '../../adapters/discord/embeds.ts';
import { USAGE as DISCORD_USAGE, usageProblem } from '../../adapters/discord/handler-context.ts';
import { plainFromDiscord } from '../../adapters/discord/markdown.ts';
import { failureNotice } from '../../adapters/shared/failure-notice.ts';
import { renderAnswer, SLACK_LIMITS, type SlackMessage } from '../../adapters/slack/answer-blocks.ts';
import { renderPapers } from '../../adapters/slack/listing-blocks.ts';
import { plainFromSlack } from '../../adapters/slack/mrkdwn.ts';
import type { Answer } from '../../src/answering/answerer.ts';
import { MAX_QUESTION_LENGTH } from '../../src/bot-types.ts';
import { loadConfig } from '../../src/config/config.ts';
import { hasCode } from '../../src/errors.ts';
import { silentLogger } from '../../src/logger.ts';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.ts';
import type { Digest } from '../../src/trending/types.ts';
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
          outcome: 'answered',
          confidence: 0.9,
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

/** A Discord message as the adapter sends it: embeds, or a plain notice. */
interface DiscordMessage {
  embeds?: APIEmbed[];
  content?: string;
}

/** Text with every backslash escape removed: what is left is what Discord interprets. */
const unescaped = (text: string) => text.replace(/\\[\s\S]/g, '');
const MASKED_LINK = /\[([^[\]]*)\]\(([^()\s]*)\)/g;

/**
 * No ping and no link but ours: once escapes are removed, no mass mention (`@everyone`/`@here`),
 * no `<@id>`/`<@!id>`/`<@&role>`/`<#channel>`, no masked link except to `allowedHosts`, no other
 * `](`, and no bare `scheme://` that Discord would auto-link.
 */
function expectInertDiscordText(text: string, allowedHosts: ReadonlySet<string>): void {
  let shown = unescaped(text);
  for (const [whole, label, url] of shown.matchAll(MASKED_LINK)) {
    expect(url).toMatch(/^https?:\/\/[^\s()<>]+$/);
    expect(allowedHosts.has(new URL(url!).hostname)).toBe(true);
    // The target is not shown (nor parsed for mentions); the label is.
    shown = shown.replace(whole, () => label!); // a function, so `$&` in a label stays literal
  }
  expect(shown).not.toMatch(/@(everyone|here)/i);
  expect(shown).not.toMatch(/<[@#]/);
  expect(shown).not.toContain('](');
  expect(shown).not.toMatch(/[a-z0-9+.-]:\/\//i);
}

/** Every message within Discord's limits (counted here, not with the adapter's helper), and inert. */
function expectSafeDiscord(
  messages: DiscordMessage[],
  allowedHosts: ReadonlySet<string>,
  options: { totalBudget?: number; wellFormed?: boolean } = {},
): void {
  expect(messages.length).toBeGreaterThan(0);
  for (const message of messages) {
    expect(message.content?.length ?? 0).toBeLessThanOrEqual(2_000);
    if (message.content) expectInertDiscordText(message.content, allowedHosts);
    const embeds = message.embeds ?? [];
    expect(embeds.length).toBeLessThanOrEqual(10);
    let total = 0;
    for (const embed of embeds) {
      const texts: string[] = [];
      expect(embed.title?.length ?? 0).toBeLessThanOrEqual(256);
      expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4_096);
      expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(2_048);
      expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(25);
      if (embed.url) expect(allowedHosts.has(new URL(embed.url).hostname)).toBe(true);
      texts.push(embed.title ?? '', embed.description ?? '', embed.footer?.text ?? '');
      for (const field of embed.fields ?? []) {
        expect(field.name.length).toBeGreaterThan(0);
        expect(field.name.length).toBeLessThanOrEqual(256);
        expect(field.value.length).toBeGreaterThan(0);
        expect(field.value.length).toBeLessThanOrEqual(1_024);
        texts.push(field.name, field.value);
      }
      for (const text of texts) {
        expectInertDiscordText(text, allowedHosts);
        if (options.wellFormed) expect(text).not.toMatch(LONE_SURROGATE);
        expect(text).not.toContain('\u0000');
        total += text.length;
      }
    }
    expect(total).toBeLessThanOrEqual(options.totalBudget ?? 6_000);
  }
}

/** What the adapter sends for an answer: `packEmbeds` over `answerEmbeds`, one message each. */
const discordAnswer = (question: string, answer: Answer): DiscordMessage[] =>
  packEmbeds(answerEmbeds(question, answer)).map((embeds) => ({ embeds }));

const HOSTS = new Set(['arxiv.org', 'github.com', 'paper.example']);
/** Links as a feed or the corpus might carry them: fine, hostile, huge, or not URLs at all. */
const hostileUrl = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    'https://arxiv.org/abs/2401.00001',
    'https://github.com/org/repo',
    'https://paper.example/a b)(c)](https://evil.example)',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '  https://github.com/x  ',
    'https://paper.example/@everyone/<@123456789012345678>',
    `https://github.com/${'a'.repeat(3_000)}`,
  ),
  hostileText,
);
/** 100 KB of hostile text: markup, mentions and control characters repeated. */
const hugeText = fc
  .tuple(markupSoup, controlChars)
  .map(
    ([soup, control]) => `${soup || '@everyone'}${control}<@123456789012345678> [x](https://evil.example) `,
  )
  .map((unit) => unit.repeat(Math.ceil(100_000 / unit.length)).slice(0, 100_000));
const anyText = fc.oneof({ weight: 4, arbitrary: hostileText }, { weight: 1, arbitrary: hugeText });

describe('hostile input through the Discord renderers', () => {
  it('renders the real answer to any Discord message text within Discord limits, without pings', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (raw) => {
        const question = plainFromDiscord(raw, '100000000000000001');
        const result = await askSafely(question);
        if (result === 'usage') return;
        expectSafeDiscord(discordAnswer(question, result), HOSTS);
      }),
      { numRuns: 40 },
    );
  });

  it('renders hostile or 100 KB answers, titles, sources and questions within limits, without pings', () => {
    fc.assert(
      fc.property(
        // Answers near a description's 4,096 characters, where sources may no longer fit beside them.
        fc.oneof(
          anyText,
          fc.integer({ min: 3_000, max: 9_000 }).map((length) => 'word '.repeat(Math.ceil(length / 5))),
        ),
        anyText,
        fc.integer({ min: 0, max: 10 }),
        fc.boolean(),
        hostileUrl,
        (text, title, sourceCount, declined, link) => {
          const sources = Array.from({ length: sourceCount }, (_, index) => ({
            n: index + 1,
            paperId: `2401.0000${index}`,
            title: `${title.slice(0, 400)} ${index}`,
            link: index % 2 ? `https://arxiv.org/abs/2401.0000${index}` : (link ?? ''),
            score: 1,
          }));
          const answer: Answer = {
            answer: text,
            declined,
            outcome: declined ? 'declined' : 'answered',
            confidence: declined ? 0.05 : 0.9,
            citations: sources.map(({ n, paperId, title: name }) => ({ n, paperId, title: name })),
            sources,
            answerer: 'test',
            ...(declined ? {} : { fallbackReason: 'timeout' }),
          };
          expectSafeDiscord(discordAnswer(title, answer), HOSTS);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps well-formed text well-formed: no cut through a surrogate pair', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3_000 }), (text) => {
        const long = text.repeat(Math.ceil(9_000 / text.length));
        const answer: Answer = {
          answer: long,
          declined: false,
          outcome: 'answered',
          confidence: 0.9,
          citations: [],
          sources: [
            { n: 1, paperId: '2401.00001', title: long, link: 'https://arxiv.org/abs/2401.00001', score: 1 },
          ],
          answerer: 'test',
        };
        expectSafeDiscord(discordAnswer(long, answer), HOSTS, { wellFormed: true });
        const hits = [{ paper: { id: '2401.00001', title: long, abstract: long }, score: 1 }];
        expectSafeDiscord([{ embeds: [searchEmbed(long, hits)] }], HOSTS, { wellFormed: true });
      }),
      { numRuns: 40 },
    );
  });

  it('renders search results for hostile queries, titles, abstracts and links within limits', () => {
    fc.assert(
      fc.property(
        anyText,
        fc.array(fc.tuple(anyText, anyText, hostileUrl, fc.double({ noNaN: false })), { maxLength: 12 }),
        (query, papers) => {
          const hits = papers.map(([title, abstract, abs, score], index) => ({
            paper: { id: index % 2 ? `2401.0000${index}` : `seed-${index}`, title, abstract, links: { abs } },
            score,
          }));
          expectSafeDiscord([{ embeds: [searchEmbed(query, hits)] }], HOSTS);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('renders digests with hostile titles, summaries, authors, notes and links within limits', () => {
    const item = fc.record({
      title: anyText,
      summary: anyText,
      authors: fc.option(anyText, { nil: undefined }),
      upvotes: fc.option(fc.integer(), { nil: undefined }),
      links: fc.record({ abs: hostileUrl, pdf: hostileUrl, code: hostileUrl, project: hostileUrl }),
    });
    fc.assert(
      fc.property(
        anyText,
        fc.option(anyText, { nil: undefined }),
        fc.array(item, { maxLength: 12 }),
        (title, note, items) => {
          const digest: Digest = {
            title,
            date: '2026-07-13',
            ...(note === undefined ? {} : { note }),
            items: items.map((fields, index) => ({
              ...fields,
              rank: index + 1,
              paperId: `2401.0000${index}`,
              score: 1,
            })),
          };
          // As the digest sender packs them: room is left for its footer marker.
          const messages = packEmbeds(digestEmbeds(digest), FOOTER_RESERVE).map((embeds) => ({ embeds }));
          expectSafeDiscord(messages, HOSTS, { totalBudget: 6_000 - FOOTER_RESERVE });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never echoes hostile arguments in usage and failure notices, which stay under 2,000 characters', () => {
    fc.assert(
      fc.property(anyText, (argument) => {
        for (const usage of Object.values(DISCORD_USAGE)) {
          const problem = usageProblem(argument, usage);
          if (problem === undefined) continue;
          expectSafeDiscord([{ content: problem }], HOSTS);
          if (argument.trim().length > 3) expect(problem).not.toContain(argument.trim());
        }
        expect(failureNotice(new Error(argument))).not.toContain(argument.length > 3 ? argument : '\u0000');
      }),
      { numRuns: 100 },
    );
  });
});
