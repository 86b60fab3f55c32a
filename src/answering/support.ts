import { weightedShare } from '../retrieval/weighted-share.ts';
import { asksFinding } from './answer-type.ts';
import { stems, type TermWeight } from './answerability-features.ts';

export type { TermWeight };

/** Share of the query's term weight present in `text`, 0..1. */
export function termCoverage(queryTerms: string[], text: string, weight: TermWeight): number {
  if (queryTerms.length === 0) return 0;
  return weightedShare(queryTerms, new Set(stems(text)), weight);
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
  if (asksFinding(text)) return undefined;
  if (
    /\bhow (many|much)\b|\bwhat (is|was) the (score|accuracy|perplexity|f1|bleu|number|size)\b|\bwhat (\w+ ){0,3}(score|accuracy|perplexity|f1|bleu|error rate|win rate)\b|\bin percent(age)?\b|\bas a (number|percentage|figure)\b/.test(
      text,
    )
  ) {
    return 'number';
  }
  return undefined;
}
