import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.ts';
import { MANIFEST_FILE } from '../storage/index-layout.ts';
import { LocalEmbeddings } from './local-embeddings.ts';
import type { PaperEmbeddings } from './types.ts';

/** The embedding model named in the index manifest, when there is a readable one. */
function indexModel(indexDir: string): string | undefined {
  const path = join(indexDir, MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { embeddingModel?: string }).embeddingModel;
  } catch {
    return undefined;
  }
}

/**
 * Which embeddings to use. `local` and `openai` are explicit. `auto` (the default) uses OpenAI
 * when `OPENAI_API_KEY` is set, except for an existing index built with the local model (such as
 * the bundled one), which keeps working until rebuilt with `PAPERBOT_EMBEDDINGS=openai`.
 */
export function chooseEmbeddings(config: Config, forBuild = false): 'local' | 'openai' {
  if (config.embeddingsSetting !== 'auto') return config.embeddingsSetting;
  if (!config.openai) return 'local';
  if (!forBuild && indexModel(config.indexDir)?.startsWith('local:')) return 'local';
  return 'openai';
}

/** The embeddings the configuration selects: offline USE by default, OpenAI-compatible when asked. */
export async function createEmbeddings(
  config: Config,
  options: { forBuild?: boolean } = {},
): Promise<PaperEmbeddings> {
  if (chooseEmbeddings(config, options.forBuild) === 'openai' && config.openai) {
    const { OpenAIEmbeddings } = await import('./openai-embeddings.ts');
    const embeddings = new OpenAIEmbeddings({
      apiKey: config.openai.apiKey,
      baseURL: config.openai.baseURL,
      model: config.openai.embeddingModel,
      timeoutMs: config.llmTimeoutMs,
    });
    await embeddings.ensureDimensions();
    return embeddings;
  }
  return new LocalEmbeddings({ workers: config.embedWorkers });
}
