import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { LanguageModelError } from './language-model-error.ts';
import { deadline, toLanguageModelError } from './openai-client.ts';

/**
 * The trimmed text of one chat completion, within `timeoutMs` or until `signal` aborts. Throws a
 * LanguageModelError when the call fails (timeout, connection, HTTP) or the reply is empty
 * (`Chat model <model> returned no <expected>`); the caller's own cancellation is rethrown as is.
 */
export async function chatReply(
  client: OpenAI,
  request: ChatCompletionCreateParamsNonStreaming,
  options: { timeoutMs: number; signal?: AbortSignal; expected: string },
): Promise<string> {
  const { timeoutMs } = options;
  const limit = deadline(timeoutMs, options.signal);
  let reply: string;
  try {
    const completion = await client.chat.completions.create(request, { signal: limit.signal });
    reply = completion.choices[0]?.message?.content?.trim() ?? '';
  } catch (error) {
    throw toLanguageModelError(error, {
      timedOut: limit.timedOut(),
      timeoutMs,
      what: `Chat model ${request.model}`,
    });
  }
  if (!reply) {
    throw new LanguageModelError(
      'LLM_BAD_REPLY',
      'the model returned an empty reply',
      `Chat model ${request.model} returned no ${options.expected}`,
    );
  }
  return reply;
}
