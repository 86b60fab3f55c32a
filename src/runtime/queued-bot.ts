import { randomUUID } from 'node:crypto';
import type { Answer } from '../answering/answerer.ts';
import type { AskOptions, Bot } from '../bot-types.ts';
import { describeError, hasCode, type PaperbotError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { SearchHit, SearchOptions } from '../retrieval/types.ts';
import type { Metrics, QuestionOutcome } from './metrics.ts';
import type { WorkQueue } from './work-queue.ts';

export interface QueuedBotOptions {
  /** Bounds concurrent answering and searching. */
  queue: WorkQueue;
  metrics?: Metrics;
  logger: Logger;
  /** Makes request ids (default: 12 hex characters of a random UUID). */
  requestId?: () => string;
}

/** A short random id that ties together the log lines of one event. */
export function newRequestId(): string {
  return randomUUID().replaceAll('-', '').slice(0, 12);
}

function outcomeOf(error: unknown): QuestionOutcome {
  if (hasCode(error, 'BUSY')) return 'busy';
  if (hasCode(error, 'QUESTION_EMPTY') || hasCode(error, 'QUESTION_TOO_LONG')) return 'invalid';
  return 'error';
}

/** Runs the caller's signal and the queue's shutdown signal into one. */
function combine(queueSignal: AbortSignal, callerSignal?: AbortSignal): AbortSignal {
  return callerSignal ? AbortSignal.any([queueSignal, callerSignal]) : queueSignal;
}

/**
 * The same `Bot`, with `ask` and `search` (the embedding-heavy calls) run through the work queue.
 * A full queue rejects at once with `PaperbotError('BUSY')`, whose message is fit to show the user.
 * Each call gets a request id and a child logger; every outcome is logged and counted.
 */
export function createQueuedBot(bot: Bot, options: QueuedBotOptions): Bot {
  const { queue, metrics } = options;
  const makeId = options.requestId ?? newRequestId;

  async function track<T>(
    kind: 'ask' | 'search',
    text: string,
    work: (signal: AbortSignal) => Promise<T>,
    outcomeOfResult: (result: T) => QuestionOutcome,
  ): Promise<T> {
    const log = options.logger.child({ requestId: makeId(), kind });
    const startedAt = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - startedAt) / 1e9;
    // Length only: questions may carry personal data, and the answer is in the chat anyway.
    log.debug(
      { length: text?.length ?? 0, running: queue.running, waiting: queue.waiting },
      'question received',
    );
    try {
      const result = await queue.run(work);
      const outcome = outcomeOfResult(result);
      const seconds = elapsed();
      metrics?.question(kind, outcome, seconds);
      log.info({ outcome, ms: Math.round(seconds * 1000) }, `${kind} ${outcome}`);
      return result;
    } catch (error) {
      const outcome = outcomeOf(error);
      metrics?.question(kind, outcome, outcome === 'error' ? elapsed() : undefined);
      if (outcome === 'error') {
        metrics?.error('core');
        log.error({ err: error, outcome }, `${kind} failed: ${describeError(error)}`);
      } else {
        log.info({ outcome, code: (error as PaperbotError).code }, `${kind} ${outcome}`);
      }
      throw error;
    }
  }

  return {
    ask(question: string, askOptions: AskOptions = {}): Promise<Answer> {
      return track(
        'ask',
        question,
        (signal) => bot.ask(question, { ...askOptions, signal: combine(signal, askOptions.signal) }),
        (answer) => (answer.declined ? 'declined' : 'answered'),
      );
    },
    search(query: string, searchOptions: SearchOptions = {}): Promise<SearchHit[]> {
      return track(
        'search',
        query,
        (signal) => bot.search(query, { ...searchOptions, signal: combine(signal, searchOptions.signal) }),
        () => 'answered',
      );
    },
    trendingDigest: (trendingOptions) => bot.trendingDigest(trendingOptions),
    paperCount: () => bot.paperCount(),
  };
}
