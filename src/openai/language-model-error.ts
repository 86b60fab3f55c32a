import { type ErrorCode, PaperbotError } from '../errors.ts';

/**
 * The language model could not give a usable answer. `reason` is short and safe to show a chat
 * user (`timeout after 20 s`, `the server answered HTTP 500`); details stay in `message` and `cause`.
 * Codes: `LLM_TIMEOUT`, `LLM_HTTP_ERROR`, `LLM_UNREACHABLE`, `LLM_BAD_REPLY`, `LLM_FAILED`.
 */
export class LanguageModelError extends PaperbotError {
  /** One short clause for users, without secrets or stack traces. */
  readonly reason: string;

  constructor(
    code: Extract<ErrorCode, `LLM_${string}`>,
    reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'LanguageModelError';
    this.reason = reason;
  }
}

/** `20000` -> `20 s`, `1500` -> `1.5 s`, `250` -> `250 ms`. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1_000) return `${milliseconds} ms`;
  const seconds = milliseconds / 1_000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
