import type OpenAI from 'openai';
import type { Paper } from '../corpus/paper.ts';
import { chatReply } from '../openai/chat-reply.ts';
import { createOpenAIClient, type OpenAIModelOptions } from '../openai/openai-client.ts';
import type { Summarizer } from '../trending/summarize.ts';
import { buildSummaryMessages } from './answer-prompt.ts';

export interface OpenAISummarizerOptions extends OpenAIModelOptions {
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
    this.client = createOpenAIClient({ ...options, maxRetries: options.maxRetries ?? 1 });
  }

  async summarize(paper: Paper, options: { signal?: AbortSignal } = {}): Promise<string> {
    const { model, timeoutMs } = this.options;
    const reply = await chatReply(
      this.client,
      { model, messages: buildSummaryMessages(paper), temperature: 0, max_tokens: 160 },
      { timeoutMs, signal: options.signal, expected: 'summary' },
    );
    return reply.replace(/\s+/g, ' ');
  }
}
