import { createHash } from 'node:crypto';
import { Embeddings } from '@langchain/core/embeddings';
import type { PaperEmbeddings } from '../../src/embeddings/types.ts';
import { tokenize } from '../../src/retrieval/tokenize.ts';

/**
 * A small deterministic embedding for tests: word stems hashed into `dimensions` buckets, unit
 * length. Texts sharing words are similar, so retrieval behaves sensibly, and it runs in microseconds.
 */
export class HashingEmbeddings extends Embeddings implements PaperEmbeddings {
  readonly modelId: string;
  calls = 0;

  constructor(
    readonly dimensions = 64,
    modelId = `test:hashing-${dimensions}`,
  ) {
    super({});
    this.modelId = modelId;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    this.calls++;
    return texts.map((text) => this.vector(text));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.vector(text);
  }

  private vector(text: string): number[] {
    const vector = new Array<number>(this.dimensions).fill(0);
    for (const token of tokenize(text)) {
      const bucket = createHash('md5').update(token).digest().readUInt32LE(0) % this.dimensions;
      vector[bucket]! += 1;
    }
    vector[0]! += 0.01;
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  }
}
