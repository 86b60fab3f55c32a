import type OpenAI from 'openai';
import type { Logger } from '../logger.ts';
import { chatReply } from '../openai/chat-reply.ts';
import { LanguageModelError } from '../openai/language-model-error.ts';
import { createOpenAIClient, type OpenAIModelOptions } from '../openai/openai-client.ts';
import { capModelReply } from '../text/cap-text.ts';
import { type AnswerPromptOptions, buildAnswerMessages, isDecline } from './answer-prompt.ts';
import type { Answer, Answerer, AnswerRequest, Citation } from './answerer.ts';
import { checkCitations, renumberCitations } from './citation-check.ts';
import { buildSources } from './sources.ts';

export interface OpenAIAnswererOptions extends AnswerPromptOptions, OpenAIModelOptions {
  /** Deadline for the whole call, retries included, in milliseconds (PAPERBOT_LLM_TIMEOUT_MS). */
  timeoutMs: number;
  /** SDK retries on connection errors, 429 and 5xx. Default 0: the fallback answers instead of waiting. */
  maxRetries?: number;
  /**
   * Sampling temperature. Default 0 (the answer should follow the abstracts, not vary); `null`
   * leaves it out, for reasoning models that accept only their default.
   */
  temperature?: number | null;
  /** Upper bound on the reply length (`max_tokens`), in tokens. Default 600; `null` leaves it out. */
  maxTokens?: number | null;
  logger: Logger;
}

/**
 * Answers with an OpenAI-compatible chat model from the retrieved abstracts, passed as delimited
 * untrusted data. Whatever the model writes, the code keeps only citations to retrieved papers and
 * detects a decline by its fixed opening sentence. The prompt numbers every retrieved hit; the
 * answer's sources are only the cited ones, renumbered in order of first use (text and `sources` agree).
 * Throws LanguageModelError on timeout, HTTP or connection errors and empty replies; wrap it in a
 * FallbackAnswerer to answer offline instead.
 */
export class OpenAIAnswerer implements Answerer {
  readonly name = 'openai';
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAIAnswererOptions) {
    this.client = createOpenAIClient({ ...options, maxRetries: options.maxRetries ?? 0 });
  }

  async answer(request: AnswerRequest): Promise<Answer> {
    const { logger, model, timeoutMs } = this.options;
    const messages = buildAnswerMessages(request, this.options);
    const temperature = this.options.temperature === undefined ? 0 : this.options.temperature;
    const maxTokens = this.options.maxTokens === undefined ? 600 : this.options.maxTokens;
    const reply = capModelReply(
      await chatReply(
        this.client,
        {
          model,
          messages,
          ...(temperature === null ? {} : { temperature }),
          ...(maxTokens === null ? {} : { max_tokens: maxTokens }),
        },
        { timeoutMs, signal: request.signal, expected: 'text' },
      ),
    );

    const sources = buildSources(request.hits);
    const checked = checkCitations(reply, sources.length);
    for (const n of checked.removed) {
      logger.warn(
        { n, sources: sources.length, model },
        'removed a citation to a paper that was not retrieved',
      );
    }
    const declined = isDecline(checked.text);
    if (!declined && checked.used.length === 0) {
      // An answer that cites no retrieved paper is not grounded in the corpus: do not pass it on.
      throw new LanguageModelError(
        'LLM_BAD_REPLY',
        'the model cited no retrieved paper',
        `Chat model ${model} answered without a valid citation`,
      );
    }
    // Sources are the papers the answer cites, renumbered 1..m in order of first use, so that the
    // list under the answer holds no retrieved-but-unused paper and `[n]` still points to `sources[n-1]`.
    const answer = renumberCitations(checked.text, checked.used);
    const cited = buildSources(checked.used.map((n) => request.hits[n - 1]!));
    const citations: Citation[] = cited.map(({ n, paperId, title }) => ({ n, paperId, title }));
    return {
      answer,
      declined,
      outcome: declined ? 'declined' : 'answered',
      // The model's own verdict; FallbackAnswerer replaces it with the offline score's probability.
      confidence: declined ? 0 : 1,
      citations,
      sources: cited,
      answerer: this.name,
    };
  }
}
