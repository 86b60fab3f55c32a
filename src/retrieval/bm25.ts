import { correctSpelling, type SpellingCorrection, vocabularyWords } from './spelling.ts';
import { tokenize } from './tokenize.ts';

export interface LexicalHit {
  id: string;
  score: number;
}

/**
 * Okapi BM25 `k1`: 1.5, chosen on seed-dev and team-a..c (Recall@10 0.943 -> 0.944, nDCG@10
 * 0.943 -> 0.947 over 1.2) and checked on team-d..f (Recall@10 0.887 -> 0.891); 1.5-2.0 is a plateau.
 */
export const BM25_K1 = 1.5;

/** Okapi BM25 over short documents (title + abstract): an in-memory inverted index, updated in place. */
export class Bm25Index {
  /** term -> (document id -> term frequency). */
  private readonly postings = new Map<string, Map<string, number>>();
  /** document id -> its distinct terms, so a document can be removed. */
  private readonly documentTerms = new Map<string, string[]>();
  private readonly lengths = new Map<string, number>();
  private totalLength = 0;
  /** Lowercase word as written (4+ letters) -> number of documents using it, for spelling correction. */
  private readonly words = new Map<string, number>();
  /** document id -> its distinct written words joined by spaces (one string: small), for removal. */
  private readonly documentWords = new Map<string, string>();

  constructor(
    private readonly k1 = BM25_K1,
    private readonly b = 0.75,
  ) {}

  get size(): number {
    return this.lengths.size;
  }

  has(id: string): boolean {
    return this.lengths.has(id);
  }

  /** Adds or replaces a document. */
  set(id: string, text: string): void {
    this.delete(id);
    const tokens = tokenize(text);
    const counts = new Map<string, number>();
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    for (const [term, frequency] of counts) {
      let posting = this.postings.get(term);
      if (!posting) {
        posting = new Map();
        this.postings.set(term, posting);
      }
      posting.set(id, frequency);
    }
    this.documentTerms.set(id, [...counts.keys()]);
    this.lengths.set(id, tokens.length);
    this.totalLength += tokens.length;
    const words = vocabularyWords(text);
    for (const word of words) this.words.set(word, (this.words.get(word) ?? 0) + 1);
    this.documentWords.set(id, words.join(' '));
  }

  delete(id: string): void {
    const terms = this.documentTerms.get(id);
    if (!terms) return;
    for (const term of terms) {
      const posting = this.postings.get(term);
      posting?.delete(id);
      if (posting?.size === 0) this.postings.delete(term);
    }
    this.totalLength -= this.lengths.get(id) ?? 0;
    this.documentTerms.delete(id);
    this.lengths.delete(id);
    for (const word of (this.documentWords.get(id) ?? '').split(' ')) {
      if (!word) continue;
      const count = (this.words.get(word) ?? 0) - 1;
      if (count > 0) this.words.set(word, count);
      else this.words.delete(word);
    }
    this.documentWords.delete(id);
  }

  /** Whether the document holds a (stemmed) term. */
  holds(id: string, term: string): boolean {
    return this.postings.get(term)?.has(id) ?? false;
  }

  /** Number of documents containing a (stemmed) term. */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.size ?? 0;
  }

  /** Number of documents using a lowercase word as written (not stemmed; words of 4+ letters). */
  wordFrequency(word: string): number {
    return this.words.get(word) ?? 0;
  }

  /** The query with its misspelt words replaced by the corpus words they stand for (`spelling.ts`). */
  correctSpelling(query: string): SpellingCorrection {
    return correctSpelling(query, {
      wordFrequency: (word) => this.wordFrequency(word),
      isKnownTerm: (term) => this.postings.has(term),
    });
  }

  /** Inverse document frequency (never negative). */
  idf(term: string): number {
    const frequency = this.postings.get(term)?.size ?? 0;
    return Math.log(1 + (this.size - frequency + 0.5) / (frequency + 0.5));
  }

  /**
   * Best documents for the query's terms; `termWeight` scales each term's contribution (default 1),
   * as `termReliability` does for words that seldom name a question's topic.
   */
  search(query: string, k: number, termWeight?: (term: string) => number): LexicalHit[] {
    const terms = [...new Set(tokenize(query))];
    return this.scoreTerms(new Map(terms.map((term) => [term, termWeight?.(term) ?? 1])), k);
  }

  /**
   * Papers like the given ones: a relevance model (Lavrenko and Croft) of the weighted documents,
   * each term's share of a document times the document's weight, keeps its `terms` heaviest terms
   * by that mass times their IDF, and those terms are searched by BM25, each weighted by its mass.
   * This is the expansion half of RM3 pseudo-relevance feedback; `HybridRetriever` fuses it with
   * the question's own lists.
   */
  searchLike(documents: readonly { id: string; weight: number }[], k: number, terms: number): LexicalHit[] {
    const mass = new Map<string, number>();
    for (const { id, weight } of documents) {
      const length = this.lengths.get(id);
      if (!length) continue;
      for (const term of this.documentTerms.get(id) ?? []) {
        const frequency = this.postings.get(term)?.get(id) ?? 0;
        mass.set(term, (mass.get(term) ?? 0) + (weight * frequency) / length);
      }
    }
    const chosen = [...mass]
      .map(([term, weight]) => ({ term, weight, rank: weight * this.idf(term) }))
      .sort((left, right) => right.rank - left.rank || left.term.localeCompare(right.term))
      .slice(0, terms);
    return this.scoreTerms(new Map(chosen.map(({ term, weight }) => [term, weight])), k);
  }

  /** BM25 of weighted terms (a term's contribution times its weight). */
  private scoreTerms(weights: ReadonlyMap<string, number>, k: number): LexicalHit[] {
    if (weights.size === 0 || this.size === 0) return [];
    const averageLength = this.totalLength / this.size;
    const scores = new Map<string, number>();
    for (const [term, weight] of weights) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const idf = this.idf(term) * weight;
      for (const [id, frequency] of posting) {
        const length = this.lengths.get(id) ?? 0;
        const norm = frequency + this.k1 * (1 - this.b + (this.b * length) / averageLength);
        scores.set(id, (scores.get(id) ?? 0) + (idf * frequency * (this.k1 + 1)) / norm);
      }
    }
    return [...scores]
      .map(([id, score]) => ({ id, score }))
      .sort((left, right) => right.score - left.score || left.id.localeCompare(right.id))
      .slice(0, k);
  }
}
