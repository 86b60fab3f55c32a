import { type Bot, MAX_QUESTION_LENGTH } from '../../src/bot-types.ts';
import type { Clock } from '../../src/clock.ts';
import type { Logger } from '../../src/logger.ts';
import { type RequestLimiter, rateLimitMessage } from '../../src/runtime/rate-limiter.ts';
import type { SubscriptionRepository } from '../../src/trending/subscriptions.ts';

/** What every Discord handler needs; built once by `createDiscordAdapter`. */
export interface HandlerContext {
  bot: Bot;
  logger: Logger;
  clock: Clock;
  /** Where `/subscribe` saves; without it the command says subscriptions are unavailable. */
  subscriptions?: SubscriptionRepository;
  /** Per-user and per-channel limits on questions and searches; none when absent. */
  limiter?: RequestLimiter;
}

/** The notice for a user or channel over its rate limit, else undefined (and a token is taken). */
export async function rateLimitProblem(
  context: HandlerContext,
  userId: string,
  channelId: string,
): Promise<string | undefined> {
  const decision = await context.limiter?.take(userId, channelId);
  return decision && !decision.allowed ? rateLimitMessage(decision) : undefined;
}

/** Usage texts, shown instead of an error for an empty or over-long argument. */
export const USAGE = {
  mention: 'Ask me about the papers, e.g. `@paperbot what do intermediate layers encode?`',
  ask: 'Usage: `/ask question:<your question>` (up to 2,000 characters).',
  search:
    'Usage: `/search query:<words>` (up to 2,000 characters); add `public:True` to post in the channel.',
  trending: 'Usage: `/trending [topic:<words>]` (topic up to 200 characters).',
} as const;

/** The usage text when `argument` is unusable (empty when required, or too long), else undefined. */
export function usageProblem(
  argument: string,
  usage: string,
  options: { required?: boolean; max?: number } = {},
): string | undefined {
  const max = options.max ?? MAX_QUESTION_LENGTH;
  if ((options.required ?? true) && argument.trim() === '') return `That is empty. ${usage}`;
  if (argument.length > max)
    return `That is too long (${argument.length} characters, at most ${max}). ${usage}`;
  return undefined;
}
