import type { Logger } from '../logger.ts';
import type { QuestionMemoryView } from './question-memory.ts';
import { densePaperHits, type RetrievalSources } from './search-corpus.ts';
import { memoryReliability } from './term-reliability.ts';
import type { Retriever, SearchHit, SearchOptions } from './types.ts';

/**
 * Fusion weights: `denseWeight` tuned on `../shared/eval/seed-dev`; the feedback parameters chosen
 * on the 38 fit sets with their question memory left out (see README, Quality): feedback from the
 * best paper alone, weight 0.6, lifts Recall@10 0.957 -> 0.964 and nDCG@10 0.942 -> 0.945 there
 * (0.900 -> 0.915 and 0.909 -> 0.917 without the memory); three papers moved the best paper off
 * the top too often (seed-dev nDCG@10 0.954 -> 0.938), weights 0.5-0.7 are a plateau. The weight
 * of what was asked about each paper (twenty-first session) was chosen on the twenty-seven
 * calibration sets and the plain-words fit sets team-dl, team-cl and team-bm, each left out of the
 * memory: 0, 0.3, 0.6 and 1 give Recall@10 0.945, 0.965, 0.977, 0.981 and nDCG@10 0.906, 0.940,
 * 0.960, 0.969 over those thirty sets; 1 (as much as the question's own fused score) was kept.
 */
export interface FusionParameters {
  /** Weight of the dense score; the lexical score gets `1 - denseWeight`. */
  denseWeight: number;
  /** Candidates taken from each list before fusion. */
  candidates: number;
  /** Share of the final score given to pseudo-relevance feedback (0: none). */
  feedbackWeight: number;
  /** Best fused papers whose terms make the feedback query. */
  feedbackDocuments: number;
  /** Terms in the feedback query. */
  feedbackTerms: number;
  /**
   * Weight of the question memory's list of papers by what was asked about them
   * (`QuestionMemoryView.searchAsked`, scaled by its best score), added to the fused score.
   */
  askedWeight: number;
}

export const DEFAULT_FUSION: FusionParameters = {
  denseWeight: 0.2,
  candidates: 50,
  feedbackWeight: 0.6,
  feedbackDocuments: 1,
  feedbackTerms: 40,
  askedWeight: 1,
};

/** Best score first; ties by paper id, so rankings are deterministic. */
function byScore(left: SearchHit, right: SearchHit): number {
  return right.score - left.score || left.paper.id.localeCompare(right.paper.id);
}

export interface HybridRetrieverOptions {
  fusion?: Partial<FusionParameters>;
  /** Query embedding slower than this falls back to lexical retrieval (ms, default 1000). */
  embedTimeoutMs?: number;
  logger?: Logger;
  /** Called with the stage name when a fallback happens (for metrics). */
  onFallback?: (stage: 'query-embedding') => void;
  /**
   * Judged questions whose papers gain weight when a question is near one of them (see
   * `question-memory.ts`); used in hybrid mode when the question was embedded.
   */
  memory?: QuestionMemoryView;
}

/**
 * BM25 and passage-level dense retrieval fused by weighted score, both over the query with its
 * misspelt words corrected against the corpus vocabulary: BM25 scaled by its best score,
 * dense similarity min-max scaled over the candidates. A paper found by only one list keeps
 * that list's share of the score. With a question memory, up to five papers judged relevant to
 * similar earlier questions gain weight, up to just under the best paper found without it.
 * Pseudo-relevance feedback then mixes in BM25 of the best paper's characteristic terms, so
 * papers worded like it rise.
 */
export class HybridRetriever implements Retriever {
  private readonly fusion: FusionParameters;

  constructor(
    private readonly index: RetrievalSources,
    private readonly options: HybridRetrieverOptions = {},
  ) {
    this.fusion = { ...DEFAULT_FUSION, ...options.fusion };
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const k = options.k ?? 10;
    const mode = options.mode ?? 'hybrid';
    const candidates = Math.max(this.fusion.candidates, k);
    // Misspelt words ("bidirectonal", "pipline") are searched as the corpus words they stand for.
    const text = this.index.correctSpelling?.(query).text ?? query;
    const lexical = mode === 'dense' ? [] : this.index.searchLexical(text, candidates, this.termWeight());
    let dense: { id: string; similarity: number }[] = [];
    let vector: number[] | undefined;
    if (mode !== 'lexical') {
      vector = await this.embedQuery(text, options.signal);
      if (vector) dense = await densePaperHits(this.index.vectorStore, vector, candidates);
      else if (mode === 'dense') return [];
    }
    const denseWeight =
      mode === 'dense' ? 1 : mode === 'lexical' || dense.length === 0 ? 0 : this.fusion.denseWeight;
    const topLexical = lexical[0]?.score ?? 1;
    const topDense = dense[0]?.similarity ?? 1;
    const floorDense = dense.at(-1)?.similarity ?? 0;
    const span = topDense - floorDense || 1;
    const hits = new Map<string, SearchHit>();
    const entry = (id: string): SearchHit | undefined => {
      let hit = hits.get(id);
      if (!hit) {
        const paper = this.index.get(id);
        if (!paper) return undefined;
        hit = { paper, score: 0 };
        hits.set(id, hit);
      }
      return hit;
    };
    lexical.forEach((result, rank) => {
      const hit = entry(result.id);
      if (!hit) return;
      hit.lexicalScore = result.score;
      hit.lexicalRank = rank + 1;
      hit.lexicalShare = result.score / topLexical;
      hit.score += (1 - denseWeight) * hit.lexicalShare;
    });
    dense.forEach((result, rank) => {
      const hit = entry(result.id);
      if (!hit) return;
      hit.denseScore = result.similarity;
      hit.denseRank = rank + 1;
      hit.denseShare = (result.similarity - floorDense) / span;
      hit.score += denseWeight * hit.denseShare;
    });
    // The question memory is consulted in hybrid mode, for an embedded question.
    const memory = mode === 'hybrid' && vector ? this.options.memory : undefined;
    this.addAsked(hits, memory, text, entry, candidates);
    if (memory && vector) {
      // Before feedback, so that feedback (from the best paper, which the memory never passes)
      // weighs lifted papers like any other: after it, the ceiling rose with the best paper's
      // feedback share and lifted papers pushed unjudged ones down more (nDCG@10 0.952 -> 0.934
      // on papers the memory does not name, against 0.946 here; README, Quality, tenth session).
      // A lifted paper never passes the best paper the question found on its own; lifted papers
      // that reach that ceiling stay just under it, in order of their judged question's similarity.
      const ceiling = Math.max(0, ...[...hits.values()].map((hit) => hit.score));
      for (const [id, { boost, similarity }] of memory.boosts(vector)) {
        const hit = entry(id);
        if (!hit) continue;
        hit.memorySimilarity = similarity;
        const lifted = hit.score + boost;
        hit.score =
          hit.score === ceiling ? ceiling : Math.min(lifted, ceiling * (1 - 1e-6 * (2 - similarity)));
      }
    }
    this.addFeedback(hits, entry, candidates, mode);
    const found = [...hits.values()].sort(byScore).slice(0, k);
    // The memory was asked and lent these papers nothing (the answerability score reads it); a
    // paper no judged question names (one ingested later) says nothing either way.
    if (memory) {
      for (const hit of found) {
        if (hit.memorySimilarity === undefined && (memory.knows?.(hit.paper.id) ?? true)) {
          hit.memorySimilarity = 0;
        }
      }
    }
    return found;
  }

  /**
   * The question memory's papers by what people asked about them (`searchAsked`), scaled by the
   * best of them, lend `askedWeight` of that share. Before the memory's lift and feedback, like a
   * third retrieval list: a paper people asked about in the question's own everyday words rises
   * even when its abstract words the topic otherwise. The memory compares only the papers it
   * knows: a paper no judged question names (one ingested later) is never passed by a paper this
   * list lifts, so such a paper's rank never falls for it.
   */
  private addAsked(
    hits: Map<string, SearchHit>,
    memory: QuestionMemoryView | undefined,
    text: string,
    entry: (id: string) => SearchHit | undefined,
    candidates: number,
  ): void {
    const weight = this.fusion.askedWeight;
    if (!memory?.searchAsked || weight <= 0) return;
    // Scores of the papers the memory knows nothing of, lowest first: a lifted paper stays under
    // the lowest of them that was above it.
    const unknown = [...hits.values()]
      .filter((hit) => !(memory.knows?.(hit.paper.id) ?? true))
      .map((hit) => hit.score)
      .sort((left, right) => left - right);
    const asked = memory.searchAsked(text, candidates);
    const top = asked[0]?.score || 1;
    for (const result of asked) {
      const hit = entry(result.id);
      if (!hit) continue;
      const above = unknown.find((score) => score > hit.score);
      const lifted = hit.score + (weight * result.score) / top;
      hit.score = above === undefined ? lifted : Math.min(lifted, above * (1 - 1e-6));
    }
  }

  /** How far each question word names a topic, from the question memory (`termReliability`). */
  private termWeight(): ((term: string) => number) | undefined {
    return memoryReliability(this.index, this.options.memory);
  }

  /**
   * Pseudo-relevance feedback: the best fused papers, weighted by their scores, give a query of
   * the terms that characterise them (`searchLike`), and its BM25 share (scaled by its best score)
   * takes `feedbackWeight` of every paper's score. Papers that share the vocabulary of the best
   * matches rise, even when the question words them differently.
   */
  private addFeedback(
    hits: Map<string, SearchHit>,
    entry: (id: string) => SearchHit | undefined,
    candidates: number,
    mode: SearchOptions['mode'],
  ): void {
    const { feedbackWeight, feedbackDocuments, feedbackTerms } = this.fusion;
    if (feedbackWeight <= 0 || mode === 'dense' || !this.index.searchLike || hits.size === 0) return;
    const seeds = [...hits.values()].sort(byScore).slice(0, feedbackDocuments);
    const total = seeds.reduce((sum, hit) => sum + hit.score, 0) || 1;
    const like = this.index.searchLike(
      seeds.map((hit) => ({ id: hit.paper.id, weight: hit.score / total })),
      candidates,
      feedbackTerms,
    );
    for (const hit of hits.values()) {
      hit.questionScore = hit.score;
      hit.score *= 1 - feedbackWeight;
    }
    const topLike = like[0]?.score || 1;
    for (const result of like) {
      const hit = entry(result.id);
      if (!hit) continue;
      // A paper found by feedback alone does not match the question itself.
      hit.questionScore ??= 0;
      hit.score += (feedbackWeight * result.score) / topLike;
    }
  }

  private async embedQuery(query: string, signal?: AbortSignal): Promise<number[] | undefined> {
    const timeoutMs = this.options.embedTimeoutMs ?? 1_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      const vector = await Promise.race([this.index.vectorStore.embeddings.embedQuery(query), timeout]);
      if (!vector) {
        this.options.logger?.warn(
          { stage: 'query-embedding', timeoutMs },
          'query embedding timed out; lexical only',
        );
        this.options.onFallback?.('query-embedding');
      }
      signal?.throwIfAborted();
      return vector;
    } catch (error) {
      signal?.throwIfAborted();
      this.options.logger?.warn(
        { stage: 'query-embedding', err: error },
        'query embedding failed; lexical only',
      );
      this.options.onFallback?.('query-embedding');
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
