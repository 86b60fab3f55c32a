import type { Bot } from '../../src/bot-types.ts';
import { MAX_QUESTION_LENGTH } from '../../src/bot-types.ts';
import type { Clock } from '../../src/clock.ts';
import { hasCode } from '../../src/errors.ts';
import type { Logger } from '../../src/logger.ts';
import { type RateDecision, type RateLimiter, rateLimitMessage } from '../../src/runtime/rate-limiter.ts';
import type { SqliteDatabase } from '../../src/storage/database.ts';

/** What every Slack handler needs; built once by `createSlackAdapter`. */
export interface HandlerContext {
  bot: Bot;
  logger: Logger;
  limiter: RateLimiter;
  clock: Clock;
  /** Where feedback is recorded; feedback buttons are still shown without it, clicks only logged. */
  database?: SqliteDatabase;
}

/** Usage texts, shown instead of an error for an empty or over-long argument. */
export const USAGE = {
  mention: 'Ask me about the papers, e.g. `@paperbot what do intermediate layers encode?`',
  ask: 'Usage: `/ask <question>` (up to 2,000 characters), e.g. `/ask what do intermediate layers encode?`',
  papers: 'Usage: `/papers <query>` (up to 2,000 characters), e.g. `/papers sparse attention`',
  trending: 'Usage: `/trending [topic]` (topic optional, up to 2,000 characters), e.g. `/trending robotics`',
} as const;

export const APOLOGY = 'Sorry, something went wrong while answering. Please try again in a moment.';

/** What the user sees when the core failed: the core's busy notice (queue full, restarting), else the apology. */
export function failureNotice(error: unknown): string {
  return hasCode(error, 'BUSY') ? error.message : APOLOGY;
}

/** The usage text when `argument` is unusable (empty when required, or over-long), else undefined. */
export function usageProblem(argument: string, usage: string, required = true): string | undefined {
  if (required && argument.trim() === '') return usage;
  if (argument.length > MAX_QUESTION_LENGTH)
    return `That is too long (${argument.length} characters). ${usage}`;
  return undefined;
}

/** True for the core's input errors, which become usage text rather than an apology. */
export function isUsageError(error: unknown): boolean {
  return hasCode(error, 'QUESTION_EMPTY') || hasCode(error, 'QUESTION_TOO_LONG');
}

/** The polite answer to a request over the rate limit. */
export function rateLimitNotice(decision: Extract<RateDecision, { allowed: false }>): string {
  return rateLimitMessage(decision);
}
