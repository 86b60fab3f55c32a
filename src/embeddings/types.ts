import type { Embeddings } from '@langchain/core/embeddings';

/**
 * A LangChain `Embeddings` that also says what it is, so an index can record which model built
 * it and refuse to be searched with another.
 */
export type PaperEmbeddings = Embeddings & {
  /** Stable identifier, e.g. `local:universal-sentence-encoder-lite` or `openai:text-embedding-3-small`. */
  readonly modelId: string;
  /** Length of every vector this model returns. */
  readonly dimensions: number;
};
