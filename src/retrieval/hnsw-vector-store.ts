import { Document, type DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { VectorStore } from '@langchain/core/vectorstores';
import hnswlib from 'hnswlib-node';

/** HNSW parameters. Chosen from the benchmarks in `bench/` (see README, Performance). */
export interface HnswParameters {
  /** Graph degree (default 16). */
  m: number;
  /** Candidate list size while building (default 200). */
  efConstruction: number;
  /** Candidate list size while searching (default 100; hnswlib's own default of 10 is too low). */
  efSearch: number;
}

export const DEFAULT_HNSW: HnswParameters = { m: 16, efConstruction: 200, efSearch: 100 };

/** A stored vector's document: the passage text and the paper it belongs to. */
export interface ChunkMetadata {
  paperId: string;
  /** Position of the passage in the paper (0 = title). */
  chunk: number;
}

export type ChunkDocument = DocumentInterface<ChunkMetadata>;

/**
 * LangChain `VectorStore` over an hnswlib-node index with inner-product space on unit vectors,
 * so the score returned is cosine similarity. Labels are never reused: a deleted vector is
 * marked deleted and its label retired until the next rebuild.
 */
export class HnswVectorStore extends VectorStore {
  declare FilterType: (document: ChunkDocument) => boolean;
  readonly dimensions: number;
  readonly parameters: HnswParameters;
  private readonly index: hnswlib.HierarchicalNSW;
  private readonly documents = new Map<number, ChunkDocument>();
  private readonly labelsByPaper = new Map<string, number[]>();
  private nextLabel = 0;

  constructor(
    embeddings: EmbeddingsInterface,
    options: { dimensions: number; parameters?: Partial<HnswParameters>; index?: hnswlib.HierarchicalNSW },
  ) {
    super(embeddings, {});
    this.dimensions = options.dimensions;
    this.parameters = { ...DEFAULT_HNSW, ...options.parameters };
    if (options.index) {
      this.index = options.index;
    } else {
      this.index = new hnswlib.HierarchicalNSW('ip', this.dimensions);
      this.index.initIndex({
        maxElements: 1024,
        m: this.parameters.m,
        efConstruction: this.parameters.efConstruction,
      });
    }
    this.index.setEf(this.parameters.efSearch);
  }

  _vectorstoreType(): string {
    return 'hnswlib-paperbot';
  }

  /** Live (not deleted) vectors. */
  get size(): number {
    return this.documents.size;
  }

  /** Labels ever assigned, deleted ones included (what the hnswlib file holds). */
  get labelCount(): number {
    return this.nextLabel;
  }

  /** Direct access for benchmarks that compare this layer with raw `searchKnn`. */
  get rawIndex(): hnswlib.HierarchicalNSW {
    return this.index;
  }

  setEf(ef: number): void {
    this.parameters.efSearch = ef;
    this.index.setEf(ef);
  }

  async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<string[]> {
    if (vectors.length !== documents.length) {
      throw new Error(`addVectors: ${vectors.length} vectors for ${documents.length} documents`);
    }
    const needed = this.nextLabel + vectors.length;
    if (needed > this.index.getMaxElements()) {
      this.index.resizeIndex(Math.max(needed, this.index.getMaxElements() * 2));
    }
    const ids: string[] = [];
    vectors.forEach((vector, position) => {
      if (vector.length !== this.dimensions) {
        throw new Error(`addVectors: vector of ${vector.length} dimensions, index has ${this.dimensions}`);
      }
      const label = this.nextLabel++;
      this.index.addPoint(normalize(vector), label);
      this.track(label, documents[position] as ChunkDocument);
      ids.push(String(label));
    });
    return ids;
  }

  // LangChain's VectorStore contract (abstract there); PaperIndex embeds in its own batches and calls
  // addVectors, LangChain code calls this. Tested in tests/retrieval/hnsw-vector-store.test.ts.
  async addDocuments(documents: DocumentInterface[]): Promise<string[]> {
    const vectors = await this.embeddings.embedDocuments(documents.map((document) => document.pageContent));
    return this.addVectors(vectors, documents);
  }

  /** Restores a stored document under its original label (used when loading from disk). */
  restore(label: number, document: ChunkDocument): void {
    this.track(label, document);
    this.nextLabel = Math.max(this.nextLabel, label + 1);
  }

  /** Accounts for labels present in the file but deleted (so new labels never collide). */
  reserveLabels(count: number): void {
    this.nextLabel = Math.max(this.nextLabel, count);
  }

  /** LangChain's search; `filter` (a document predicate) is what `similaritySearch` and retrievers pass on. */
  async similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: this['FilterType'],
  ): Promise<[ChunkDocument, number][]> {
    const count = Math.min(k, this.documents.size);
    if (count === 0) return [];
    const labelFilter = filter
      ? (label: number) => {
          const document = this.documents.get(label);
          return document !== undefined && filter(document);
        }
      : undefined;
    const result = this.index.searchKnn(normalize(query), count, labelFilter);
    const hits: [ChunkDocument, number][] = [];
    result.neighbors.forEach((label, position) => {
      const document = this.documents.get(label);
      if (document) hits.push([document, 1 - (result.distances[position] ?? 1)]);
    });
    return hits;
  }

  /** Removes vectors by the ids `addVectors` returned. */
  override async delete(params: { ids: string[] }): Promise<void> {
    for (const id of params.ids) {
      const label = Number(id);
      const document = this.documents.get(label);
      if (!document) continue;
      this.index.markDelete(label);
      this.documents.delete(label);
      const remaining = (this.labelsByPaper.get(document.metadata.paperId) ?? []).filter(
        (other) => other !== label,
      );
      if (remaining.length > 0) this.labelsByPaper.set(document.metadata.paperId, remaining);
      else this.labelsByPaper.delete(document.metadata.paperId);
    }
  }

  /** Labels of the live vectors of one paper. */
  labelsOf(paperId: string): number[] {
    return [...(this.labelsByPaper.get(paperId) ?? [])];
  }

  private track(label: number, document: ChunkDocument): void {
    this.documents.set(label, document);
    const paperId = document.metadata?.paperId;
    if (paperId === undefined) return;
    const labels = this.labelsByPaper.get(paperId);
    if (labels) labels.push(label);
    else this.labelsByPaper.set(paperId, [label]);
  }

  /** Every live vector's label and document, for persistence. */
  entries(): IterableIterator<[number, ChunkDocument]> {
    return this.documents.entries();
  }

  writeIndex(path: string): void {
    this.index.writeIndexSync(path);
  }

  static readIndex(path: string, dimensions: number): hnswlib.HierarchicalNSW {
    const index = new hnswlib.HierarchicalNSW('ip', dimensions);
    index.readIndexSync(path);
    return index;
  }
}

export function chunkDocument(text: string, metadata: ChunkMetadata): ChunkDocument {
  return new Document({ pageContent: text, metadata });
}

function normalize(vector: number[]): number[] {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm === 0 || Math.abs(norm - 1) < 1e-6) return vector;
  return vector.map((value) => value / norm);
}
