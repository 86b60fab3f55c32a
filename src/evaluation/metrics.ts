/** Graded relevance judgments of one query: paper id -> grade (higher is more relevant). */
export type Judgments = ReadonlyMap<string, number>;

/** nDCG@k with exponential gain (2^grade - 1), as BEIR computes it. */
export function ndcgAt(ranked: readonly string[], judgments: Judgments, k = 10): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, position) => {
    const grade = judgments.get(id) ?? 0;
    dcg += (2 ** grade - 1) / Math.log2(position + 2);
  });
  const ideal = [...judgments.values()].sort((left, right) => right - left).slice(0, k);
  let idcg = 0;
  ideal.forEach((grade, position) => {
    idcg += (2 ** grade - 1) / Math.log2(position + 2);
  });
  return idcg > 0 ? dcg / idcg : 0;
}

/** Share of the judged-relevant papers found in the top k. */
export function recallAt(ranked: readonly string[], judgments: Judgments, k = 10): number {
  const relevant = [...judgments].filter(([, grade]) => grade > 0).map(([id]) => id);
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

/**
 * Share of the query's most relevant papers (those of the highest grade judged for it: in the
 * team's sets, the papers whose abstract states the answer) found in the top k. `recallAt` counts
 * related papers too, which a careful reader would also want but which do not answer.
 */
export function topGradeRecallAt(ranked: readonly string[], judgments: Judgments, k = 10): number {
  const best = Math.max(0, ...judgments.values());
  if (best <= 0) return 0;
  return recallAt(ranked, new Map([...judgments].filter(([, grade]) => grade === best)), k);
}

/** Reciprocal rank of the first relevant paper within the top k (0 when none). */
export function mrrAt(ranked: readonly string[], judgments: Judgments, k = 10): number {
  const position = ranked.slice(0, k).findIndex((id) => (judgments.get(id) ?? 0) > 0);
  return position < 0 ? 0 : 1 / (position + 1);
}
