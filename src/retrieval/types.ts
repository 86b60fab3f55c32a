import type { Paper } from '../corpus/paper.ts';
import type { DateRange } from './date-filter.ts';

/** One ranked paper from a search. */
export interface SearchHit {
  paper: Paper;
  /** Fused relevance score; higher is better. Comparable within one result list only. */
  score: number;
  /** Cosine similarity of the best-matching passage to the query, 0..1, when dense retrieval ran. */
  denseScore?: number;
  /** BM25 score, when lexical retrieval matched. */
  lexicalScore?: number;
  /** BM25 score over the best BM25 score of the query, 0..1, when lexical retrieval matched. */
  lexicalShare?: number;
  /** Passage similarity min-max scaled over the dense candidates, 0..1, when dense retrieval ran. */
  denseShare?: number;
  /**
   * Calibrated chance (0-1) that the paper is relevant to the query, comparable across queries
   * (unlike `score`); set by `Bot.search` (see `relevance.ts`).
   */
  relevance?: number;
  /**
   * The fused score before pseudo-relevance feedback (with the memory's lift): how well the paper
   * matches the question itself, not the best paper. The offline answerer weighs papers to cite
   * by it. Absent when no feedback ran (then `score` is the same thing).
   */
  questionScore?: number;
  /**
   * Cosine similarity of the nearest judged question that names this paper, when one lent it
   * weight; 0 when the question memory was consulted and lent it none; absent when no memory was
   * consulted (none configured, or the question was not embedded) or no judged question names the
   * paper (one ingested later).
   */
  memorySimilarity?: number;
  /** 1-based ranks in each list before fusion. */
  denseRank?: number;
  lexicalRank?: number;
}

export interface SearchOptions {
  /** Number of papers to return (default 10). */
  k?: number;
  /** `hybrid` (default), `lexical` or `dense`, for evaluation and fallbacks. */
  mode?: 'hybrid' | 'lexical' | 'dense';
  signal?: AbortSignal;
  /** Only papers published in this range (`Bot.search`; see `date-filter.ts`). */
  dates?: DateRange;
}

/** Finds the papers that bear on a query. */
export interface Retriever {
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
}
