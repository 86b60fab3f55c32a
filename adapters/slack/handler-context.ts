import type { Bot } from '../../src/bot-types.ts';
import { MAX_QUESTION_LENGTH } from '../../src/bot-types.ts';
import type { Clock } from '../../src/clock.ts';
import type { FeedbackRepository } from '../../src/feedback/feedback-repository.ts';
import type { Logger } from '../../src/logger.ts';
import { type RateDecision, type RequestLimiter, rateLimitMessage } from '../../src/runtime/rate-limiter.ts';
import type { SubscriptionRepository } from '../../src/trending/subscriptions.ts';

/** What every Slack handler needs; built once by `createSlackAdapter`. */
export interface HandlerContext {
  bot: Bot;
  logger: Logger;
  limiter: RequestLimiter;
  clock: Clock;
  /** Where feedback is recorded; feedback buttons are still shown without it, clicks only logged. */
  feedback?: FeedbackRepository;
  /** Where `/subscribe` saves; without it `/subscribe` and `/unsubscribe` say subscriptions are unavailable. */
  subscriptions?: SubscriptionRepository;
}

/** Usage texts, shown instead of an error for an empty or over-long argument. */
export const USAGE = {
  mention: 'Ask me about the papers, e.g. `@paperbot what do intermediate layers encode?`',
  ask: 'Usage: `/ask <question>` (up to 2,000 characters), e.g. `/ask what do intermediate layers encode?`',
  papers: 'Usage: `/papers <query>` (up to 2,000 characters), e.g. `/papers sparse attention`',
  trending: 'Usage: `/trending [topic]` (topic optional, up to 2,000 characters), e.g. `/trending robotics`',
} as const;

/** The usage text when `argument` is unusable (empty when required, or over-long), else undefined. */
export function usageProblem(argument: string, usage: string, required = true): string | undefined {
  if (required && argument.trim() === '') return usage;
  if (argument.length > MAX_QUESTION_LENGTH)
    return `That is too long (${argument.length} characters). ${usage}`;
  return undefined;
}

/** The polite answer to a request over the rate limit. */
export function rateLimitNotice(decision: Extract<RateDecision, { allowed: false }>): string {
  return rateLimitMessage(decision);
}
