import { type Clock, systemClock } from '../clock.ts';
import { type ErrorCode, PaperbotError } from '../errors.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { backoffDelay, serverRequestedDelay } from './retry-timing.ts';

/** Waits `ms` milliseconds; injected so tests never wait for real backoff. */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The codes of a failed request: `HTTP_NETWORK`, `HTTP_TIMEOUT`, `HTTP_STATUS`, ... */
export type HttpErrorCode = Extract<ErrorCode, `HTTP_${string}`>;

/** The failure of one request, after its retries. `status` is absent for network errors and timeouts. */
export class HttpRequestError extends PaperbotError {
  /** The URL requested. */
  readonly url: string;
  /** The last HTTP status received, when the server answered. */
  readonly status: number | undefined;

  constructor(
    code: HttpErrorCode,
    message: string,
    details: { url: string; status?: number; cause?: unknown },
  ) {
    super(code, message, { cause: details.cause });
    this.name = 'HttpRequestError';
    this.url = details.url;
    this.status = details.status;
  }
}

export interface HttpClientOptions {
  /** The fetch to use (default: global fetch). */
  fetch?: typeof fetch;
  /** Waits between tries and for per-host spacing (default: real timers). */
  sleep?: Sleep;
  /** Time source for `Retry-After` dates and per-host spacing (default: system clock). */
  clock?: Clock;
  /** Random number in [0, 1) for backoff jitter (default: Math.random). */
  random?: () => number;
  /** Retries are logged at warn level. */
  logger?: Logger;
  /** Time allowed for one try, headers and body, in ms (default 30,000). */
  timeoutMs?: number;
  /** Tries per request, the first included (default 5). */
  maxAttempts?: number;
  /** First backoff delay before jitter, in ms (default 1,000); doubles each retry. */
  baseDelayMs?: number;
  /** Largest computed backoff delay, in ms (default 30,000). */
  maxDelayMs?: number;
  /** A server asking to wait longer than this (ms, default 300,000) fails the request at once. */
  maxServerDelayMs?: number;
  /** Sent as `User-Agent`. */
  userAgent?: string;
}

export interface RequestOptions {
  /** Minimum time between the starts of two requests to this URL's host, in ms (arXiv asks 3,000). */
  minIntervalMs?: number;
  /** `Accept` header. */
  accept?: string;
  /** Cancels the request and its retries. */
  signal?: AbortSignal;
  /** Appended to the final error message: how to fix it (e.g. which variable holds the URL). */
  hint?: string;
}

/**
 * GET with timeouts, retries (429, 5xx, network errors, bad bodies) and per-host spacing.
 * Kept over `p-retry`: the waits come from `Retry-After`/`RateLimit` headers and an injected sleep
 * and clock (tests never wait), which p-retry's backoff options do not express directly.
 */
export interface HttpClient {
  /**
   * Fetches `url` and parses the body with `parse`. A body that cannot be read (truncated,
   * timed out) or that `parse` rejects is retried like a 5xx, except when `parse` throws a
   * PaperbotError (a final answer, such as an API's error document), which is rethrown as is.
   * Other 4xx fail at once. Throws `HttpRequestError` (`HTTP_STATUS`, `HTTP_NETWORK`,
   * `HTTP_TIMEOUT`, `HTTP_BODY_INVALID`, `HTTP_RATE_LIMITED`) naming the URL and last status.
   */
  get<T>(url: string, parse: (body: string) => T, options?: RequestOptions): Promise<T>;
  /** `get` with `JSON.parse`. */
  getJson(url: string, options?: RequestOptions): Promise<unknown>;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

type Failure = { code: HttpErrorCode; detail: string; status?: number; cause?: unknown };

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const fetchImpl = options.fetch ?? fetch;
  const sleep = options.sleep ?? realSleep;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const logger = options.logger ?? silentLogger();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const backoff = { baseDelayMs: options.baseDelayMs ?? 1_000, maxDelayMs: options.maxDelayMs ?? 30_000 };
  const maxServerDelayMs = options.maxServerDelayMs ?? 300_000;
  const lastStart = new Map<string, number>();
  const queues = new Map<string, Promise<void>>();

  /** Serialises request starts per host so they are at least `minIntervalMs` apart. */
  async function waitTurn(host: string, minIntervalMs: number): Promise<void> {
    if (minIntervalMs <= 0) return;
    const previous = queues.get(host) ?? Promise.resolve();
    let release = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    queues.set(
      host,
      previous.then(() => mine),
    );
    await previous;
    try {
      const wait = (lastStart.get(host) ?? Number.NEGATIVE_INFINITY) + minIntervalMs - clock.now();
      if (wait > 0) await sleep(wait);
      lastStart.set(host, clock.now());
    } finally {
      release();
    }
  }

  function fail(url: string, attempts: number, failure: Failure, hint?: string): HttpRequestError {
    const tries = attempts === 1 ? '1 try' : `${attempts} tries`;
    return new HttpRequestError(
      failure.code,
      `GET ${url} failed after ${tries}: ${failure.detail}.${hint ? ` ${hint}` : ''}`,
      { url, status: failure.status, cause: failure.cause },
    );
  }

  async function get<T>(url: string, parse: (body: string) => T, request: RequestOptions = {}): Promise<T> {
    const host = new URL(url).host;
    let failure: Failure = { code: 'HTTP_NETWORK', detail: 'no try was made' };
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      await waitTurn(host, request.minIntervalMs ?? 0);
      let serverDelay: number | undefined;
      const signals = [AbortSignal.timeout(timeoutMs), ...(request.signal ? [request.signal] : [])];
      try {
        const response = await fetchImpl(url, {
          headers: {
            accept: request.accept ?? '*/*',
            ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
          },
          signal: AbortSignal.any(signals),
        });
        if (response.ok) {
          const body = await response.text();
          try {
            return parse(body);
          } catch (error) {
            if (error instanceof PaperbotError) throw error;
            failure = {
              code: 'HTTP_BODY_INVALID',
              detail: `the ${body.length}-character body of HTTP ${response.status} is invalid (${(error as Error).message})`,
              status: response.status,
              cause: error,
            };
          }
        } else {
          const snippet = (await response.text().catch(() => '')).replace(/\s+/g, ' ').slice(0, 200);
          failure = {
            code: 'HTTP_STATUS',
            detail: `HTTP ${response.status} ${response.statusText}${snippet ? ` (${snippet})` : ''}`,
            status: response.status,
          };
          if (!RETRYABLE_STATUS.has(response.status)) throw fail(url, attempt, failure, request.hint);
          serverDelay = serverRequestedDelay(response.headers, clock.now());
        }
      } catch (error) {
        if (error instanceof PaperbotError) throw error;
        if (request.signal?.aborted)
          throw fail(url, attempt, describeNetwork(error, timeoutMs), request.hint);
        failure = describeNetwork(error, timeoutMs);
      }
      if (attempt === maxAttempts) break;
      if (serverDelay !== undefined && serverDelay > maxServerDelayMs) {
        throw fail(
          url,
          attempt,
          {
            code: 'HTTP_RATE_LIMITED',
            detail: `${failure.detail}; the server asks to wait ${Math.ceil(serverDelay / 1000)} s, over the ${maxServerDelayMs / 1000} s limit`,
            status: failure.status,
          },
          request.hint ?? 'Try again later.',
        );
      }
      const delayMs = serverDelay ?? backoffDelay(attempt - 1, backoff, random);
      logger.warn(
        { url, attempt, code: failure.code, status: failure.status, delayMs },
        'request failed; retrying',
      );
      await sleep(delayMs);
    }
    throw fail(url, maxAttempts, failure, request.hint);
  }

  return {
    get,
    getJson: (url, request) => get(url, (body) => JSON.parse(body) as unknown, request),
  };
}

function describeNetwork(error: unknown, timeoutMs: number): Failure {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError') {
    return { code: 'HTTP_TIMEOUT', detail: `no complete answer within ${timeoutMs} ms`, cause: error };
  }
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
  return { code: 'HTTP_NETWORK', detail: `network error (${reason})`, cause: error };
}
