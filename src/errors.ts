/**
 * Every code a PaperbotError can carry. A union, so a misspelt code (`hasCode(e, 'QUESTION_EMTPY')`)
 * does not compile; add a code here when a new failure needs one. Codes are an interface: never rename.
 */
export type ErrorCode =
  // configuration and start-up
  | 'CONFIG_INVALID'
  | 'NOT_CONFIGURED'
  | 'PROMPT_MISSING'
  | 'PROMPT_PLACEHOLDER'
  // questions and the work queue
  | 'QUESTION_EMPTY'
  | 'QUESTION_TOO_LONG'
  | 'BUSY'
  | 'SHUTDOWN'
  // corpus, index and storage
  | 'CORPUS_UNREADABLE'
  | 'INDEX_MISSING'
  | 'INDEX_MISMATCH'
  | 'INDEX_CORRUPT'
  | 'INDEX_LOCKED'
  | 'INDEX_WRITE_FAILED'
  | 'DATABASE_OPEN_FAILED'
  | 'DATABASE_CORRUPT'
  | 'DATABASE_UNREACHABLE'
  | 'STORAGE_UNSUPPORTED'
  // Slack installations (OAuth, many workspaces)
  | 'INSTALLATION_INVALID'
  | 'SLACK_NOT_INSTALLED'
  // answerability parameters
  | 'ANSWERABILITY_MISSING'
  | 'ANSWERABILITY_INVALID'
  // embeddings
  | 'EMBEDDINGS_FAILED'
  | 'EMBEDDINGS_DIMENSIONS_MISMATCH'
  | 'EMBEDDINGS_DIMENSIONS_UNKNOWN'
  | 'EMBEDDINGS_WORKER_FAILED'
  // language model
  | 'LLM_TIMEOUT'
  | 'LLM_HTTP_ERROR'
  | 'LLM_UNREACHABLE'
  | 'LLM_BAD_REPLY'
  | 'LLM_FAILED'
  // ingest and HTTP
  | 'HTTP_NETWORK'
  | 'HTTP_TIMEOUT'
  | 'HTTP_STATUS'
  | 'HTTP_RATE_LIMITED'
  | 'HTTP_BODY_INVALID'
  | 'HF_DAY_NOT_PUBLISHED'
  | 'ARXIV_BAD_DATE'
  | 'ARXIV_BAD_REQUEST'
  | 'ARXIV_QUERY_ERROR'
  | 'INGEST_BAD_DATES'
  // trending and digests
  | 'TOPIC_INVALID'
  | 'TRENDING_DATE_INVALID'
  | 'TRENDING_LIMIT_INVALID'
  | 'DIGEST_CONFIG_INVALID'
  | 'DIGEST_LEDGER_FAILED'
  | 'DIGEST_DESTINATION_UNKNOWN'
  // evaluation and the command line
  | 'EVAL_INVALID'
  | 'MEMORY_INVALID'
  | 'DATE_INVALID'
  | 'USAGE';

/**
 * The one error type of paperbot. `code` is stable and machine-readable; `message` says what
 * failed, the value involved and how to fix it. What a chat user sees is rendered separately.
 */
export class PaperbotError extends Error {
  /** Stable identifier such as `INDEX_MISMATCH` or `CONFIG_INVALID`. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PaperbotError';
    this.code = code;
  }
}

/** True when `error` is a PaperbotError with the given code. */
export function hasCode(error: unknown, code: ErrorCode): error is PaperbotError {
  return error instanceof PaperbotError && error.code === code;
}

/** A short, single-line description of any thrown value, for logs and CLI output. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
