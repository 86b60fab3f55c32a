import type { Config } from '../config/config.ts';
import { LocalEmbeddings } from './local-embeddings.ts';
import type { PaperEmbeddings } from './types.ts';

/** The embeddings the configuration selects: offline USE by default, OpenAI-compatible when asked. */
export async function createEmbeddings(config: Config): Promise<PaperEmbeddings> {
  if (config.embeddings === 'openai' && config.openai) {
    const { OpenAIEmbeddings } = await import('./openai-embeddings.ts');
    return new OpenAIEmbeddings({
      apiKey: config.openai.apiKey,
      baseURL: config.openai.baseURL,
      model: config.openai.embeddingModel,
      timeoutMs: config.llmTimeoutMs,
    });
  }
  return new LocalEmbeddings();
}
