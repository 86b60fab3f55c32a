/**
 * The one error type of paperbot. `code` is stable and machine-readable; `message` says what
 * failed, the value involved and how to fix it. What a chat user sees is rendered separately.
 */
export class PaperbotError extends Error {
  /** Stable identifier such as `INDEX_MISMATCH` or `CONFIG_INVALID`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PaperbotError';
    this.code = code;
  }
}

/** True when `error` is a PaperbotError with the given code. */
export function hasCode(error: unknown, code: string): error is PaperbotError {
  return error instanceof PaperbotError && error.code === code;
}

/** A short, single-line description of any thrown value, for logs and CLI output. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
