import type OpenAI from 'openai';
import type { Paper } from '../corpus/paper.ts';
import { chatReply } from '../openai/chat-reply.ts';
import { LanguageModelError } from '../openai/language-model-error.ts';
import { createOpenAIClient, type OpenAIModelOptions } from '../openai/openai-client.ts';
import type { TopicJudge } from '../trending/topic-judge.ts';
import { escapeData, type PromptMessage, paperBlock } from './answer-prompt.ts';
import { fillPrompt } from './prompt-template.ts';

/** Papers per call: the prompt stays around 4-6k tokens with truncated abstracts. */
export const TOPIC_JUDGE_BATCH_SIZE = 16;

/** Abstracts are cut to this many characters in the judge's prompt. */
const MAX_ABSTRACT_CHARS = 1_000;

export interface OpenAITopicJudgeOptions extends OpenAIModelOptions {
  /** Deadline per call (one batch), in milliseconds. */
  timeoutMs: number;
  /** SDK retries on connection errors, 429 and 5xx. Default 1. */
  maxRetries?: number;
  /** Papers per call. Default `TOPIC_JUDGE_BATCH_SIZE`. */
  batchSize?: number;
}

/** The one user message asking which of `papers` are about `topic` (template `prompts/topic-judge.md`). */
export function buildTopicJudgeMessages(topic: string, papers: readonly Paper[]): PromptMessage[] {
  const blocks = papers.map((paper) => paperBlock(paper, undefined, MAX_ABSTRACT_CHARS)).join('\n');
  return [
    {
      role: 'user',
      content: fillPrompt('topic-judge', {
        topic: escapeData(topic.replace(/\s+/g, ' ').trim()),
        papers: blocks,
      }),
    },
  ];
}

/**
 * The ids of `papers` listed in a reply `{"on": ["id", ...]}` (text around the object, such as a
 * Markdown code fence, is tolerated). Throws `LLM_BAD_REPLY` for anything else, and when the reply names an id that is not
 * among `papers`: such an id never keeps a paper, and a model that mixes up ids is not trusted with
 * the rest of that batch either (the caller keeps the offline decision for it).
 */
export function parseTopicVerdict(reply: string, papers: readonly Paper[], model: string): Set<string> {
  const start = reply.indexOf('{');
  const end = reply.lastIndexOf('}');
  let parsed: unknown;
  try {
    parsed = start >= 0 && end > start ? JSON.parse(reply.slice(start, end + 1)) : undefined;
  } catch {
    parsed = undefined;
  }
  const on = (parsed as { on?: unknown } | undefined)?.on;
  if (!Array.isArray(on) || !on.every((id) => typeof id === 'string')) {
    throw new LanguageModelError(
      'LLM_BAD_REPLY',
      'the model did not reply with the expected JSON',
      `Chat model ${model} replied ${JSON.stringify(reply.slice(0, 200))} instead of {"on": ["id", ...]}`,
    );
  }
  const ids = new Set(papers.map((paper) => paper.id));
  const unknown = (on as string[]).filter((id) => !ids.has(id));
  if (unknown.length > 0) {
    throw new LanguageModelError(
      'LLM_BAD_REPLY',
      'the model named papers it was not shown',
      `Chat model ${model} named ids not in the batch: ${JSON.stringify(unknown.slice(0, 5))}`,
    );
  }
  return new Set(on as string[]);
}

/**
 * Judges aboutness with an OpenAI-compatible chat model: one call per batch of papers (title and
 * truncated abstract as delimited, escaped data), temperature 0, within `timeoutMs`. Throws
 * LanguageModelError on failure; `judgeTopic` then keeps the offline decision.
 */
export class OpenAITopicJudge implements TopicJudge {
  readonly name = 'openai';
  readonly batchSize: number;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAITopicJudgeOptions) {
    this.client = createOpenAIClient({ ...options, maxRetries: options.maxRetries ?? 1 });
    this.batchSize = options.batchSize ?? TOPIC_JUDGE_BATCH_SIZE;
  }

  async judge(
    topic: string,
    papers: readonly Paper[],
    options: { signal?: AbortSignal } = {},
  ): Promise<ReadonlySet<string>> {
    if (papers.length === 0) return new Set();
    const { model, timeoutMs } = this.options;
    const reply = await chatReply(
      this.client,
      {
        model,
        messages: buildTopicJudgeMessages(topic, papers),
        temperature: 0,
        max_tokens: 40 + 24 * papers.length,
      },
      { timeoutMs, signal: options.signal, expected: 'topic verdict' },
    );
    return parseTopicVerdict(reply, papers, model);
  }
}
