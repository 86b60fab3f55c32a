import type { JudgedQuestion } from './question-memory.ts';
import { tokenize } from './tokenize.ts';

/**
 * Weight of a question's judged evidence against the prior that a word is topical: a word used by
 * `PRIOR_QUESTIONS` judged questions, none of whose papers holds it, is weighed at 1/2.
 */
export const PRIOR_QUESTIONS = 2;

/**
 * The word reliability of a question memory over a corpus (`QuestionMemoryView.termWeight`), or
 * undefined without a memory or without term lookups. `HybridRetriever` weighs BM25's query terms
 * by it, and the answerability score the question's words (`corpusTerms`), from the same memory.
 */
export function memoryReliability(
  corpus: { get(paperId: string): unknown; holdsTerm?(paperId: string, term: string): boolean },
  memory: { termWeight?(corpus: TermHolder): (term: string) => number } | undefined,
): ((term: string) => number) | undefined {
  const holds = corpus.holdsTerm?.bind(corpus);
  if (!holds || !memory?.termWeight) return undefined;
  return memory.termWeight({ has: (paperId) => corpus.get(paperId) !== undefined, holds });
}

/** The corpus as the word reliability reads it. */
export interface TermHolder {
  /** Whether the paper is in the corpus. */
  has(paperId: string): boolean;
  /** Whether the paper's indexed text (title and abstract) holds a (stemmed) term. */
  holds(paperId: string, term: string): boolean;
}

/**
 * How far each word of a question can be trusted to name its topic, learnt from the judged
 * questions: the share of the judged questions using the word (as a stem) whose judged papers hold
 * it too, pulled towards 1 by `PRIOR_QUESTIONS` questions' worth of prior. This is the relevance
 * half of Robertson and Spärck Jones's term weight, pooled over past questions instead of read from
 * one query's judged documents: words people ask with but abstracts do not use for that topic
 * ("keep", "big", "give", "read", "table"; 159 questions use "keep", 4% of their papers hold it)
 * fall towards 0, while a word the corpus uses where people use it ("embedding", "tokenizer")
 * stays near 1. A word no judged question uses keeps its full weight.
 *
 * @param questions the judged questions in use.
 * @param corpus the judged papers' presence and terms.
 */
export function termReliability(
  questions: Iterable<Pick<JudgedQuestion, 'text' | 'papers'>>,
  corpus: TermHolder,
): (term: string) => number {
  const asked = new Map<string, number>();
  const held = new Map<string, number>();
  for (const question of questions) {
    const papers = Object.keys(question.papers).filter((paper) => corpus.has(paper));
    if (papers.length === 0) continue;
    for (const term of new Set(tokenize(question.text))) {
      asked.set(term, (asked.get(term) ?? 0) + 1);
      if (papers.some((paper) => corpus.holds(paper, term))) held.set(term, (held.get(term) ?? 0) + 1);
    }
  }
  return (term) => ((held.get(term) ?? 0) + PRIOR_QUESTIONS) / ((asked.get(term) ?? 0) + PRIOR_QUESTIONS);
}
