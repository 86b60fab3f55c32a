import type OpenAI from 'openai';
import type { Paper } from '../corpus/paper.ts';
import { LanguageModelError } from '../openai/language-model-error.ts';
import { createOpenAIClient, deadline, toLanguageModelError } from '../openai/openai-client.ts';
import type { Summarizer } from '../trending/summarize.ts';
import { buildSummaryMessages } from './answer-prompt.ts';

export interface OpenAISummarizerOptions {
  /** API key; any non-empty value for a local server without auth. Never logged. */
  apiKey: string;
  /** OpenAI-compatible base URL including `/v1`. Default OpenAI's. */
  baseURL?: string;
  /** Chat model, e.g. `gpt-4o-mini`. */
  model: string;
  /** Deadline per summary, in milliseconds. */
  timeoutMs: number;
  /** SDK retries on connection errors, 429 and 5xx. Default 1 (digests are not interactive). */
  maxRetries?: number;
}

/**
 * One-or-two-sentence digest summaries written by an OpenAI-compatible chat model from the
 * paper's title and abstract (template `prompts/summary.md`). Throws LanguageModelError on failure;
 * `summarizePaper` then falls back to an extractive summary.
 */
export class OpenAISummarizer implements Summarizer {
  readonly name = 'openai';
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAISummarizerOptions) {
    this.client = createOpenAIClient({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries ?? 1,
    });
  }

  async summarize(paper: Paper, options: { signal?: AbortSignal } = {}): Promise<string> {
    const { model, timeoutMs } = this.options;
    const limit = deadline(timeoutMs, options.signal);
    let reply: string;
    try {
      const completion = await this.client.chat.completions.create(
        { model, messages: buildSummaryMessages(paper), temperature: 0, max_tokens: 160 },
        { signal: limit.signal },
      );
      reply = completion.choices[0]?.message?.content ?? '';
    } catch (error) {
      throw toLanguageModelError(error, {
        timedOut: limit.timedOut(),
        timeoutMs,
        what: `Chat model ${model}`,
      });
    }
    const summary = reply.replace(/\s+/g, ' ').trim();
    if (!summary) {
      throw new LanguageModelError(
        'LLM_BAD_REPLY',
        'the model returned an empty reply',
        `Chat model ${model} returned no summary`,
      );
    }
    return summary;
  }
}
