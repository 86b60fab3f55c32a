import { describeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { LanguageModelError } from '../openai/language-model-error.ts';
import type { Answer, Answerer, AnswerRequest } from './answerer.ts';

export interface FallbackAnswererOptions {
  /** The language-model answerer tried first, e.g. OpenAIAnswerer. */
  primary: Answerer;
  /** The offline answerer: decides confident declines, and answers whenever the primary fails. */
  offline: Answerer;
  logger: Logger;
  /**
   * Called once per fallback, for metrics. `code` is stable (`LLM_TIMEOUT`, `LLM_HTTP_ERROR`,
   * `LLM_UNREACHABLE`, `LLM_BAD_REPLY`, `LLM_FAILED`); `reason` is the user-facing clause.
   */
  onFallback?: (reason: string, code: string) => void;
}

/**
 * Runs the offline answerer first: when its score declines (a confident decline), the decline is
 * returned and the language model is not called. Otherwise (answered or uncertain) the primary
 * reads the abstracts and decides: its answer is `answered`, its decline `declined`, and the
 * answer keeps the offline score's `confidence`. On any failure except the caller's own
 * cancellation, returns the offline answer with `fallbackReason` set and a line saying so.
 */
export class FallbackAnswerer implements Answerer {
  readonly name: string;

  constructor(private readonly options: FallbackAnswererOptions) {
    this.name = options.primary.name;
  }

  async answer(request: AnswerRequest): Promise<Answer> {
    const { primary, offline, logger } = this.options;
    const offlineAnswer = await offline.answer(request);
    if (offlineAnswer.declined) return offlineAnswer;
    try {
      const answer = await primary.answer(request);
      return { ...answer, confidence: offlineAnswer.confidence };
    } catch (error) {
      if (request.signal?.aborted) throw error;
      const reason = error instanceof LanguageModelError ? error.reason : 'unexpected error';
      const code = error instanceof LanguageModelError ? error.code : 'LLM_FAILED';
      logger.warn(
        { answerer: primary.name, code, reason, error: describeError(error) },
        'language model answer failed; answering from the abstracts directly',
      );
      this.options.onFallback?.(reason, code);
      const note =
        code === 'LLM_BAD_REPLY'
          ? `(The language model's answer could not be used: ${reason}; this answer was built from the abstracts directly.)`
          : `(The language model was unavailable: ${reason}; this answer was built from the abstracts directly.)`;
      return { ...offlineAnswer, answer: `${offlineAnswer.answer}\n\n${note}`, fallbackReason: reason };
    }
  }
}
