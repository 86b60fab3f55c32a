import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import type OpenAI from 'openai';
import { PaperbotError } from '../errors.ts';
import { LanguageModelError } from '../openai/language-model-error.ts';
import {
  createOpenAIClient,
  deadline,
  type OpenAIModelOptions,
  toLanguageModelError,
} from '../openai/openai-client.ts';
import type { PaperEmbeddings } from './types.ts';

export interface OpenAIEmbeddingsOptions extends EmbeddingsParams, OpenAIModelOptions {
  /** Deadline per request (one batch), in milliseconds. */
  timeoutMs: number;
  /** SDK retries per request on connection errors, 429 and 5xx. Default 2. */
  maxRetries?: number;
  /** Inputs per request. Default 100. */
  batchSize?: number;
  /**
   * Vector length. Known for OpenAI's models; for `text-embedding-3-*` a smaller value is sent to
   * the API, which shortens the vectors. For other models it is learned from the first response
   * when not given.
   */
  dimensions?: number;
}

/** Native vector lengths of OpenAI's embedding models. */
const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/**
 * Embeddings from OpenAI or any OpenAI-compatible server (`/v1/embeddings`), in batches, asking
 * for plain float arrays (`encoding_format: float`; several local servers do not speak base64).
 */
export class OpenAIEmbeddings extends Embeddings implements PaperEmbeddings {
  readonly modelId: string;
  private readonly client: OpenAI;
  private readonly batchSize: number;
  private readonly requestDimensions?: number;
  private knownDimensions?: number;

  constructor(private readonly options: OpenAIEmbeddingsOptions) {
    // Retries happen in the SDK (per request); the LangChain caller only bounds concurrency.
    super({ maxConcurrency: 2, ...options, maxRetries: 0 });
    this.modelId = `openai:${options.model}`;
    this.batchSize = Math.max(1, options.batchSize ?? 100);
    this.knownDimensions = options.dimensions ?? KNOWN_DIMENSIONS[options.model];
    if (options.dimensions !== undefined && options.model.startsWith('text-embedding-3')) {
      this.requestDimensions = options.dimensions;
    }
    this.client = createOpenAIClient({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries ?? 2,
    });
  }

  /**
   * Length of every vector. Throws `EMBEDDINGS_DIMENSIONS_UNKNOWN` for a model of unknown size
   * before its first response; call `ensureDimensions()` first in that case.
   */
  get dimensions(): number {
    if (this.knownDimensions === undefined) {
      throw new PaperbotError(
        'EMBEDDINGS_DIMENSIONS_UNKNOWN',
        `The vector length of embedding model ${this.options.model} is not known until it has answered once; ` +
          'call ensureDimensions() first.',
      );
    }
    return this.knownDimensions;
  }

  /** The vector length, embedding one probe text when the model's size is not known yet. */
  async ensureDimensions(): Promise<number> {
    if (this.knownDimensions === undefined) await this.embedQuery('dimensions probe');
    return this.dimensions;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const batches: string[][] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      batches.push(texts.slice(start, start + this.batchSize));
    }
    const results = await Promise.all(batches.map((batch) => this.caller.call(() => this.embedBatch(batch))));
    return results.flat();
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedBatch([text]);
    return vector!;
  }

  private async embedBatch(texts: string[]): Promise<number[][]> {
    const { model, timeoutMs } = this.options;
    // The API rejects empty strings; a single space embeds as "nothing".
    const input = texts.map((text) => (text.trim().length > 0 ? text : ' '));
    const limit = deadline(timeoutMs);
    let data: { index: number; embedding: number[] }[];
    try {
      const response = await this.client.embeddings.create(
        {
          model,
          input,
          encoding_format: 'float',
          ...(this.requestDimensions ? { dimensions: this.requestDimensions } : {}),
        },
        { signal: limit.signal },
      );
      data = response.data;
    } catch (error) {
      const failure = toLanguageModelError(error, {
        timedOut: limit.timedOut(),
        timeoutMs,
        what: `Embedding model ${model}`,
      });
      const reason = failure instanceof LanguageModelError ? failure.reason : 'request cancelled';
      throw new PaperbotError(
        'EMBEDDINGS_FAILED',
        `Embedding model ${model} at ${this.client.baseURL} failed: ${reason}. ` +
          'Check OPENAI_BASE_URL and OPENAI_API_KEY, or set PAPERBOT_EMBEDDINGS=local for the offline model.',
        { cause: error },
      );
    }
    if (!Array.isArray(data) || data.length !== input.length) {
      throw new PaperbotError(
        'EMBEDDINGS_FAILED',
        `Embedding model ${model} returned ${Array.isArray(data) ? data.length : 'no'} vectors for ${input.length} inputs`,
      );
    }
    const vectors = [...data].sort((a, b) => a.index - b.index).map((item) => Array.from(item.embedding));
    this.knownDimensions ??= vectors[0]!.length;
    const wrong = vectors.find((vector) => vector.length !== this.knownDimensions);
    if (wrong) {
      throw new PaperbotError(
        'EMBEDDINGS_DIMENSIONS_MISMATCH',
        `Embedding model ${model} returned a vector of length ${wrong.length}, expected ${this.knownDimensions}. ` +
          'Set the embedding model (OPENAI_EMBEDDING_MODEL) the index was built with, or rebuild the index.',
      );
    }
    return vectors;
  }
}
