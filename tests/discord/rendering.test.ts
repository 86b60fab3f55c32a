import { describe, expect, it } from 'vitest';
import { digestEmbeds, searchEmbed } from '../../adapters/discord/embeds.ts';
import { escapeUntrusted, plainFromDiscord, splitText, truncate } from '../../adapters/discord/markdown.ts';
import { contentOf, embedsOf, startHarness } from './discord-harness.ts';

const HOSTILE =
  'We beat @everyone and @here, ping <@123456789012345678> and <@&987654321098765432>; ' +
  'see [our results](https://evil.example/phish) or https://evil.example/raw. **Bold** ||spoiler|| `code`\n# Heading\n> quote';

/** A masked link `[text](url)` whose brackets are not escaped. */
const LIVE_MASKED_LINK = /(?<!\\)\[[^\]]*(?<!\\)\]\(/;
/** A mention or mass mention Discord would render (unescaped `<@…>`, or `@everyone`/`@here`). */
const LIVE_MENTION = /(?<!\\)<@[!&]?\d+>|@(everyone|here)/;
const LIVE_URL = /https?:\/\//;

function expectInert(text: string): void {
  expect(text).not.toMatch(LIVE_MASKED_LINK);
  expect(text).not.toMatch(LIVE_MENTION);
  expect(text).not.toMatch(LIVE_URL);
}

describe('discord rendering', () => {
  it('escapes abstracts so they cannot ping, link or format', () => {
    const escaped = escapeUntrusted(HOSTILE);
    expectInert(escaped);
    expect(escaped).toContain('\\*\\*Bold\\*\\*');
    expect(escaped).toContain('\\|\\|spoiler\\|\\|');
    expect(escaped).toContain('\n\\# Heading');
    expect(escaped).toContain('\n\\> quote');
    // Nothing is lost: removing escapes and zero-width spaces gives the original back.
    expect(escaped.replace(/\u200b/g, '').replace(/\\(.)/g, '$1')).toBe(HOSTILE);
  });

  it('never cuts an escape in half when truncating or splitting', () => {
    const text = escapeUntrusted('[a] '.repeat(2_000));
    for (const chunk of [truncate(text, 101), ...splitText(text, 333)]) {
      expect(chunk.replace(/\\\\/g, '')).not.toMatch(/\\$|\\…$/);
    }
  });

  it('renders a hostile digest item with no live mention or link outside our own paper links', () => {
    const [, item] = digestEmbeds({
      title: 'Trending @everyone',
      date: '2026-07-13',
      items: [
        {
          rank: 1,
          paperId: '2607.00001',
          title: '[Click](https://evil.example) <@1234567890123456789>',
          summary: HOSTILE,
          links: { abs: 'javascript:alert(1)', pdf: 'https://arxiv.org/pdf/2607.00001' },
          score: 1,
          authors: '@here',
        },
      ],
    });
    expectInert(String(item?.title));
    expectInert(String(item?.description));
    expect(item?.url).toBeUndefined();
    const fields = (item?.fields ?? []).map((field) => field.value).join('\n');
    expect(fields).toContain('[PDF](https://arxiv.org/pdf/2607.00001)');
    expect(fields).not.toMatch(LIVE_MENTION);
  });

  it('search results show abstracts inert', () => {
    const embed = searchEmbed('x', [
      { paper: { id: '2401.00001', title: 'T', abstract: HOSTILE }, score: 0.5 },
    ]);
    const description = String(embed.description).replace('[T](https://arxiv.org/abs/2401.00001)', '');
    expectInert(description);
  });

  it('posts an abstract with @everyone and a markdown link with no ping and no link (/search)', async () => {
    const { discord, waitForResponses } = await startHarness({
      bot: { papers: [{ id: '2401.09999', title: 'Hostile @everyone', abstract: HOSTILE }] },
    });
    const { token } = discord.slashCommand('search', { query: 'hostile', public: true });
    const [, edit] = await waitForResponses(token, 2);
    expect(edit?.body?.allowed_mentions).toEqual({ parse: [], replied_user: false });
    const description = String(embedsOf(edit)[0]?.description).replace(
      '(https://arxiv.org/abs/2401.09999)',
      '',
    );
    expectInert(description);
    expect(contentOf(edit)).toBe('');
  });

  it('strips the bot mention from questions and names other mentions', () => {
    expect(plainFromDiscord('<@42> what about <@7> and <#9>?', '42')).toBe('what about @user and #channel?');
  });
});
