import type { Bot } from '../bot-types.ts';
import { scrubSecrets } from '../logger.ts';

/**
 * The same `Bot`, with every configured secret (`configSecrets`) replaced by `[redacted]` in what
 * it returns for posting: answer text, citation and source titles, digest titles and summaries.
 * A model reply that echoes a token or key is never posted.
 */
export function createOutputGuardedBot(bot: Bot, secrets: readonly string[]): Bot {
  if (secrets.length === 0) return bot;
  const scrub = (text: string) => scrubSecrets(text, secrets);
  return {
    async ask(question, options) {
      const answer = await bot.ask(question, options);
      return {
        ...answer,
        answer: scrub(answer.answer),
        citations: answer.citations.map((citation) => ({ ...citation, title: scrub(citation.title) })),
        sources: answer.sources.map((source) => ({ ...source, title: scrub(source.title) })),
      };
    },
    search: (query, options) => bot.search(query, options),
    async trendingDigest(options) {
      const digest = await bot.trendingDigest(options);
      return {
        ...digest,
        title: scrub(digest.title),
        ...(digest.note === undefined ? {} : { note: scrub(digest.note) }),
        items: digest.items.map((item) => ({
          ...item,
          title: scrub(item.title),
          summary: scrub(item.summary),
        })),
      };
    },
    paperCount: () => bot.paperCount(),
  };
}
