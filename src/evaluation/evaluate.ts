import type { Answer, Answerer } from '../answering/answerer.ts';
import type { Retriever, SearchHit } from '../retrieval/types.ts';
import type { BeirSet, EvalQuery } from './beir.ts';
import { mrrAt, ndcgAt, recallAt, topGradeRecallAt } from './metrics.ts';

/** JSON shape of `paperbot eval --json`. */
export interface EvalReport {
  queries: number;
  ndcg10: number;
  recall10: number;
  /** Recall@10 of each question's most relevant papers only (grade 2 in the team's sets). */
  recall10TopGrade: number;
  mrr10: number;
  /** Share of unanswerable questions declined (null without an unanswerable file). */
  declinedShare: number | null;
  /** Share of answerable questions wrongly declined. */
  falseDeclineShare: number;
  /** Share of unanswerable questions flagged uncertain (not declined, not answered; null without an unanswerable file). */
  uncertainShare: number | null;
  /** Share of answerable questions flagged uncertain. */
  answerableUncertainShare: number;
  /** Share of answers whose every citation points to a retrieved paper. */
  validCitationShare: number;
  mode: 'hybrid' | 'lexical' | 'dense';
  unanswerable: number;
  /** With `--details`: each answerable question (`outcome`, `confidence`, retrieval figures). */
  perQuery?: {
    id: string;
    outcome: Answer['outcome'];
    confidence: number;
    ndcg10: number;
    recall10: number;
    recall10TopGrade: number;
    declined: boolean;
    top: string[];
  }[];
  /** With `--details`: each unanswerable question's outcome and confidence. */
  unanswerableDetails?: { id: string; outcome: Answer['outcome']; confidence: number; top: string[] }[];
  /** With `--details`: ids of the unanswerable questions declined. */
  declinedIds?: string[];
}

/** True when every `[n]` in the text and every citation point to a paper in `hits`. */
export function citationsValid(answer: Answer, hits: SearchHit[]): boolean {
  const retrieved = new Set(hits.map((hit) => hit.paper.id));
  const cited = new Map(answer.citations.map((citation) => [citation.n, citation.paperId]));
  for (const match of answer.answer.matchAll(/\[(\d+(?:\s*,\s*\d+)*)\]/g)) {
    for (const n of match[1]!.split(',').map((value) => Number(value.trim()))) {
      if (!cited.has(n)) return false;
    }
  }
  return [...cited.values()].every((paperId) => retrieved.has(paperId));
}

/** Runs retrieval and answering over an evaluation set and computes the metrics. */
export async function evaluate(options: {
  retriever: Retriever;
  answerer: Answerer;
  set: BeirSet;
  unanswerable?: EvalQuery[];
  mode?: 'hybrid' | 'lexical' | 'dense';
  onProgress?: (done: number, total: number) => void;
  details?: boolean;
  /**
   * How users get an answer (the bot: chat routing, named papers, dates, then the answerer). When
   * given, answers come from it and their citations are checked against the papers it cites from;
   * retrieval figures still come from `retriever`. Default: `answerer` over `retriever`'s hits.
   */
  ask?: (question: string) => Promise<Answer>;
}): Promise<EvalReport> {
  const { retriever, answerer, set, unanswerable = [], mode = 'hybrid' } = options;
  /** The answer to one question and whether its citations are valid. */
  const answerOf = async (question: string, hits: SearchHit[]) => {
    if (options.ask) {
      const answer = await options.ask(question);
      const cited = answer.sources.map((source) => ({ paper: { id: source.paperId } }) as SearchHit);
      return { answer, valid: citationsValid(answer, cited) };
    }
    const answer = await answerer.answer({ question, history: [], hits });
    return { answer, valid: citationsValid(answer, hits) };
  };
  const total = set.queries.length + unanswerable.length;
  let done = 0;
  let ndcg = 0;
  let recall = 0;
  let topGradeRecall = 0;
  let mrr = 0;
  let falseDeclines = 0;
  let answerableUncertain = 0;
  let uncertain = 0;
  const unanswerableDetails: NonNullable<EvalReport['unanswerableDetails']> = [];
  let validCitations = 0;
  let answers = 0;
  const perQuery: NonNullable<EvalReport['perQuery']> = [];
  for (const query of set.queries) {
    const hits = await retriever.search(query.text, { k: 10, mode });
    const ranked = hits.map((hit) => hit.paper.id);
    const judgments = set.qrels.get(query.id) ?? new Map();
    const { answer, valid } = await answerOf(query.text, hits);
    const queryNdcg = ndcgAt(ranked, judgments);
    const queryRecall = recallAt(ranked, judgments);
    const queryTopGradeRecall = topGradeRecallAt(ranked, judgments);
    ndcg += queryNdcg;
    recall += queryRecall;
    topGradeRecall += queryTopGradeRecall;
    mrr += mrrAt(ranked, judgments);
    if (answer.declined) falseDeclines++;
    if (answer.outcome === 'uncertain') answerableUncertain++;
    answers++;
    if (valid) validCitations++;
    perQuery.push({
      id: query.id,
      outcome: answer.outcome,
      confidence: answer.confidence,
      ndcg10: queryNdcg,
      recall10: queryRecall,
      recall10TopGrade: queryTopGradeRecall,
      declined: answer.declined,
      top: ranked.slice(0, 3),
    });
    options.onProgress?.(++done, total);
  }
  let declined = 0;
  const declinedIds: string[] = [];
  for (const query of unanswerable) {
    const hits = await retriever.search(query.text, { k: 10, mode });
    const { answer, valid } = await answerOf(query.text, hits);
    if (answer.declined) {
      declined++;
      declinedIds.push(query.id);
    }
    if (answer.outcome === 'uncertain') uncertain++;
    unanswerableDetails.push({
      id: query.id,
      outcome: answer.outcome,
      confidence: answer.confidence,
      top: hits.slice(0, 3).map((hit) => hit.paper.id),
    });
    answers++;
    if (valid) validCitations++;
    options.onProgress?.(++done, total);
  }
  const count = set.queries.length || 1;
  const round = (value: number) => Number(value.toFixed(4));
  const report: EvalReport = {
    queries: set.queries.length,
    ndcg10: round(ndcg / count),
    recall10: round(recall / count),
    recall10TopGrade: round(topGradeRecall / count),
    mrr10: round(mrr / count),
    declinedShare: unanswerable.length > 0 ? round(declined / unanswerable.length) : null,
    falseDeclineShare: round(falseDeclines / count),
    uncertainShare: unanswerable.length > 0 ? round(uncertain / unanswerable.length) : null,
    answerableUncertainShare: round(answerableUncertain / count),
    validCitationShare: round(validCitations / (answers || 1)),
    mode,
    unanswerable: unanswerable.length,
  };
  if (options.details) {
    report.perQuery = perQuery;
    report.unanswerableDetails = unanswerableDetails;
    report.declinedIds = declinedIds;
  }
  return report;
}
