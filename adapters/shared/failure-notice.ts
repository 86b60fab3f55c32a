import { hasCode } from '../../src/errors.ts';

/** What a chat user sees when answering failed for a reason that is not theirs. */
export const APOLOGY = 'Sorry, something went wrong while answering. Please try again in a moment.';

/** What the user sees when the core failed: its busy notice (queue full, restarting), else the apology. */
export function failureNotice(error: unknown): string {
  return hasCode(error, 'BUSY') ? error.message : APOLOGY;
}

/** True for the core's input errors, which become usage text rather than an apology. */
export function isUsageError(error: unknown): boolean {
  return (
    hasCode(error, 'QUESTION_EMPTY') || hasCode(error, 'QUESTION_TOO_LONG') || hasCode(error, 'TOPIC_INVALID')
  );
}
