import { tokenize } from '../retrieval/tokenize.ts';
import type { SearchHit } from '../retrieval/types.ts';

/** Weight of a stemmed term: its IDF in the corpus (terms the corpus lacks weigh the most). */
export type TermWeight = (term: string) => number;

/** Thresholds for deciding that retrieved papers support an answer; tuned on seed-dev, checked on the team sets. */
export interface SupportThresholds {
  /** A question is supported when the best paper holds this IDF-weighted share of its terms... */
  minCoverage: number;
  /** ...or when the best passage is at least this similar (cosine) to the question... */
  minDense: number;
  /** ...and some paper holds at least this share of the question's terms (a lexical anchor). */
  minCoverageWithDense: number;
  /** Coverage needed when no dense score is available (query embedding failed or timed out). */
  minCoverageLexicalOnly: number;
  /** A paper other than the best joins the answer with this coverage or `minDense` + 0.05. */
  minCoverageToQuote: number;
  /**
   * When dense retrieval ran but did not find the best-ranked paper at all (it ranked only by
   * shared words), that paper must hold this share of the question's terms; below it, the two
   * retrievers disagree about what the question is about, and the answer is declined.
   */
  minCoverageWithoutMeaning: number;
  /**
   * A paper ranked first by both retrievers supports the answer from this passage similarity on,
   * below `minDense`: two independent signals agreeing (paraphrased questions score low on both).
   */
  minDenseWhenBothAgree: number;
  /**
   * When the question names something no abstract mentions ("RLHF"), the best paper must hold
   * this share of the question's other terms (or both retrievers must rank it first).
   */
  minCoverageBesideAbsentNames: number;
  /** Weight of the dense share when ordering hits to judge support (lexical gets the rest). */
  supportDenseWeight: number;
}

export const DEFAULT_SUPPORT: SupportThresholds = {
  minCoverage: 0.45,
  minDense: 0.55,
  minCoverageWithDense: 0.15,
  minCoverageLexicalOnly: 0.2,
  minCoverageToQuote: 0.3,
  minCoverageWithoutMeaning: 0.8,
  minDenseWhenBothAgree: 0.5,
  minCoverageBesideAbsentNames: 0.6,
  supportDenseWeight: 0.35,
};

/** Share of the query's term weight present in `text`, 0..1. */
export function termCoverage(queryTerms: string[], text: string, weight: TermWeight): number {
  if (queryTerms.length === 0) return 0;
  const present = new Set(tokenize(text, false));
  let total = 0;
  let found = 0;
  for (const term of new Set(queryTerms)) {
    const termWeight = weight(term);
    total += termWeight;
    if (present.has(term)) found += termWeight;
  }
  return total > 0 ? found / total : 0;
}

export interface SupportAssessment {
  supported: boolean;
  /** Best coverage over the hits considered. */
  coverage: number;
  /** Best passage similarity over the hits considered (undefined without dense retrieval). */
  dense?: number;
  /** Hits that support the answer, best first. */
  supporting: SearchHit[];
}

/**
 * Hits in the order used to judge support: lexical and dense shares mixed with their own weight,
 * independent of the ranking's fusion weight; as given when the hits carry no shares.
 */
function bySupport(hits: SearchHit[], denseWeight: number): { hit: SearchHit; value: number }[] {
  const shared =
    hits.some((hit) => hit.lexicalShare !== undefined) && hits.some((hit) => hit.denseShare !== undefined);
  if (!shared) return hits.map((hit) => ({ hit, value: hit.score }));
  const mix = (hit: SearchHit) =>
    (1 - denseWeight) * (hit.lexicalShare ?? 0) + denseWeight * (hit.denseShare ?? 0);
  return hits
    .map((hit, rank) => ({ hit, rank, value: mix(hit) }))
    .sort((left, right) => right.value - left.value || left.rank - right.rank);
}

/** Decides whether the retrieved papers bear on the question, and which of them do. */
export function assessSupport(
  question: string,
  hits: SearchHit[],
  weight: TermWeight,
  thresholds: SupportThresholds = DEFAULT_SUPPORT,
  /** Names in the question (acronyms, CamelCase: "RLHF", "LoRA") that no abstract of the corpus uses. */
  absentNames: string[] = [],
): SupportAssessment {
  const terms = tokenize(question, false);
  const scored = bySupport(hits, thresholds.supportDenseWeight)
    .slice(0, 5)
    .map(({ hit, value }) => ({
      hit,
      value,
      coverage: termCoverage(terms, `${hit.paper.title} ${hit.paper.abstract}`, weight),
    }));
  const coverage = Math.max(0, ...scored.map((entry) => entry.coverage));
  const denseScores = scored.flatMap((entry) =>
    entry.hit.denseScore === undefined ? [] : [entry.hit.denseScore],
  );
  const dense = denseScores.length > 0 ? Math.max(...denseScores) : undefined;
  // The best paper shares words with the question but is not among the papers nearest in meaning
  // (e.g. "graph neural networks ... molecular properties" matching a sentence CNN on "neural
  // network" and "graph"): a coincidence of words, unless it holds nearly all of them.
  const best = scored[0];
  const wordsOnly =
    dense !== undefined &&
    best !== undefined &&
    best.hit.denseScore === undefined &&
    best.coverage < thresholds.minCoverageWithoutMeaning;
  const bothAgree =
    best?.hit.denseRank === 1 &&
    best.hit.lexicalRank === 1 &&
    (best.hit.denseScore ?? 0) >= thresholds.minDenseWhenBothAgree;
  // A question naming a method, model or dataset the corpus never mentions ("RLHF") is about
  // something the corpus lacks, unless both retrievers put the same paper first or the best paper
  // holds most of the rest of the question: then the name is another one for what it describes
  // ("FFN layers as key-value memories").
  const nameStems = new Set(absentNames.flatMap((name) => tokenize(name, false)));
  const namesExplained =
    nameStems.size > 0 &&
    best !== undefined &&
    termCoverage(
      terms.filter((term) => !nameStems.has(term)),
      `${best.hit.paper.title} ${best.hit.paper.abstract}`,
      weight,
    ) >= thresholds.minCoverageBesideAbsentNames;
  const namesMissing = nameStems.size > 0 && dense !== undefined && !bothAgree && !namesExplained;
  const supported =
    scored.length > 0 &&
    !wordsOnly &&
    !namesMissing &&
    (dense === undefined
      ? coverage >= thresholds.minCoverageLexicalOnly
      : coverage >= thresholds.minCoverage ||
        (dense >= thresholds.minDense && coverage >= thresholds.minCoverageWithDense) ||
        bothAgree ||
        namesExplained);
  if (!supported) return { supported, coverage, dense, supporting: [] };
  const topValue = scored[0]!.value;
  const supporting = scored
    .filter(
      (entry, rank) =>
        rank === 0 ||
        (entry.value >= topValue * 0.5 &&
          (entry.coverage >= thresholds.minCoverageToQuote ||
            (entry.hit.denseScore ?? 0) >= thresholds.minDense + 0.05)),
    )
    .map((entry) => entry.hit);
  return { supported, coverage, dense, supporting };
}

/** What kind of specific detail a question asks for, when it asks for one. */
export type DetailKind = 'number' | 'authors' | 'venue' | undefined;

/** Recognises questions after a number, the authors or the venue of a paper. */
export function detailAsked(question: string): DetailKind {
  const text = question.toLowerCase();
  if (
    /\b(which|what) (conference|venue|journal|workshop)\b|\bpublished (at|in)\b|\bwhich year\b|\bwhen was\b.*\bpublished\b/.test(
      text,
    )
  ) {
    return 'venue';
  }
  if (/\bwho (wrote|authored|are the authors|is the author|were the authors)\b|\bauthors? of\b/.test(text))
    return 'authors';
  if (
    /\bhow (many|much)\b|\bwhat (is|was) the (score|accuracy|perplexity|f1|bleu|number|size)\b|\bwhat (\w+ ){0,3}(score|accuracy|perplexity|f1|bleu|error rate|win rate)\b|\bin percent(age)?\b|\bas a (number|percentage|figure)\b/.test(
      text,
    )
  ) {
    return 'number';
  }
  return undefined;
}

/** Distinctive names in a question (benchmarks, models): tokens with digits or inner capitals. */
export function specificNames(question: string): string[] {
  const names = question.match(/\b[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*\b/g) ?? [];
  return names.filter((name) => /\d/.test(name) || /[A-Z].*[A-Z]/.test(name));
}
