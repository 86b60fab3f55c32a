import type { VectorStore } from '@langchain/core/vectorstores';
import type { Paper } from '../corpus/paper.ts';
import type { PaperEmbeddings } from '../embeddings/types.ts';
import type { LexicalHit } from './bm25.ts';
import type { SpellingCorrection } from './spelling.ts';

/** Lexical retrieval over the corpus, and the papers it ranks. */
export interface LexicalIndex {
  /** Best papers by BM25, each query term's contribution scaled by `termWeight` (default 1). */
  searchLexical(query: string, k: number, termWeight?: (term: string) => number): LexicalHit[];
  /**
   * Whether the paper's indexed text holds a (stemmed) term. Optional: without it the question
   * memory's word reliability is not used.
   */
  holdsTerm?(paperId: string, term: string): boolean;
  /** A paper by id, or undefined. */
  get(id: string): Paper | undefined;
  /**
   * The query with its misspelt words replaced by the corpus words they stand for (see
   * `spelling.ts`); `HybridRetriever` searches with it. Optional: without it, queries are searched
   * as written.
   */
  correctSpelling?(query: string): SpellingCorrection;
  /**
   * Papers like the weighted ones, by BM25 over the terms that characterise them (`Bm25Index.
   * searchLike`); `HybridRetriever` uses it for pseudo-relevance feedback. Optional: without it,
   * no feedback.
   */
  searchLike?(documents: readonly { id: string; weight: number }[], k: number, terms: number): LexicalHit[];
}

/**
 * What `HybridRetriever` searches: a lexical index plus a LangChain `VectorStore` of passages
 * (documents with `metadata.paperId`), whose `embeddings` embed the query. Implemented by the
 * embedded `PaperIndex` (BM25 + hnswlib) and by `PostgresCorpus` (BM25 + pgvector).
 */
export interface RetrievalSources extends LexicalIndex {
  /** Passage vectors; the store's embeddings embed queries. */
  readonly vectorStore: VectorStore;
}

/** Everything the runtime reads from the corpus, whichever backend holds it. */
export interface SearchCorpus extends RetrievalSources {
  /** Number of papers. */
  readonly size: number;
  /** The model that embedded the corpus's passages (and embeds queries). */
  readonly embeddings: PaperEmbeddings;
  /** Every paper. */
  papers(): Paper[];
  /** Inverse document frequency of a (stemmed) term in the lexical index. */
  idf(term: string): number;
  /** Number of papers whose title or abstract contains a (stemmed) term. */
  documentFrequency(term: string): number;
}

/** One paper found by dense retrieval. */
export interface DensePaperHit {
  id: string;
  /** Cosine similarity of the paper's best passage. */
  similarity: number;
}

/** Passages fetched per paper wanted, so that k distinct papers survive grouping. */
const PASSAGES_PER_PAPER = 8;

/** Best papers by the cosine similarity of their best passage to `vector`. */
export async function densePaperHits(
  store: VectorStore,
  vector: number[],
  k: number,
): Promise<DensePaperHit[]> {
  const passages = await store.similaritySearchVectorWithScore(vector, k * PASSAGES_PER_PAPER);
  const best = new Map<string, number>();
  for (const [document, similarity] of passages) {
    const id = String(document.metadata.paperId);
    if (similarity > (best.get(id) ?? Number.NEGATIVE_INFINITY)) best.set(id, similarity);
  }
  return [...best]
    .map(([id, similarity]) => ({ id, similarity }))
    .sort((left, right) => right.similarity - left.similarity || left.id.localeCompare(right.id))
    .slice(0, k);
}
