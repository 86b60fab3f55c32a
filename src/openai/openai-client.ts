import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { describeError } from '../errors.ts';
import { formatDuration, LanguageModelError } from './language-model-error.ts';

/** How to reach OpenAI or any OpenAI-compatible server (Ollama, vLLM, llama.cpp). */
export interface OpenAIClientOptions {
  /** API key; any non-empty value for a local server without auth. Never logged. */
  apiKey: string;
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:11434/v1`. Default `https://api.openai.com/v1`. */
  baseURL?: string;
  /** Limit for one HTTP request, in milliseconds. */
  timeoutMs: number;
  /** SDK retries on connection errors, 408, 409, 429 and 5xx. */
  maxRetries: number;
}

/**
 * How one model is reached: the client's options and the model's name; `maxRetries` is optional,
 * each user of a model has its own default (each says which).
 */
export interface OpenAIModelOptions extends Omit<OpenAIClientOptions, 'maxRetries'> {
  /** Model name, e.g. `gpt-4o-mini`, `llama3.1:8b` or `text-embedding-3-small`. */
  model: string;
  /** SDK retries on connection errors, 408, 409, 429 and 5xx. */
  maxRetries?: number;
}

/** An SDK client configured only from `options` (the SDK's own environment lookups are disabled). */
export function createOpenAIClient(options: OpenAIClientOptions): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? null,
    organization: null,
    project: null,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    logLevel: 'off',
  });
}

/**
 * A signal that fires after `timeoutMs` or when `outer` aborts, whichever comes first, so a slow
 * body cannot outlive the deadline. `timedOut()` tells the two apart.
 */
export function deadline(
  timeoutMs: number,
  outer?: AbortSignal,
): { signal: AbortSignal; timedOut(): boolean } {
  const timer = AbortSignal.timeout(timeoutMs);
  return { signal: outer ? AbortSignal.any([outer, timer]) : timer, timedOut: () => timer.aborted };
}

/**
 * Turns whatever the SDK threw into a LanguageModelError with a user-safe reason. A cancellation
 * by the caller's own signal is returned unchanged: it is not a model failure.
 */
export function toLanguageModelError(
  error: unknown,
  context: { timedOut: boolean; timeoutMs: number; what: string },
): unknown {
  if (error instanceof LanguageModelError) return error;
  if (context.timedOut || error instanceof APIConnectionTimeoutError) {
    const reason = `timeout after ${formatDuration(context.timeoutMs)}`;
    return new LanguageModelError('LLM_TIMEOUT', reason, `${context.what}: ${reason}`, { cause: error });
  }
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionError) {
    const reason = 'could not connect to the server';
    return new LanguageModelError('LLM_UNREACHABLE', reason, `${context.what}: ${describeError(error)}`, {
      cause: error,
    });
  }
  if (error instanceof APIError) {
    const reason = `the server answered HTTP ${error.status ?? '?'}`;
    return new LanguageModelError('LLM_HTTP_ERROR', reason, `${context.what}: ${describeError(error)}`, {
      cause: error,
    });
  }
  return new LanguageModelError(
    'LLM_FAILED',
    'unexpected error',
    `${context.what}: ${describeError(error)}`,
    {
      cause: error,
    },
  );
}
