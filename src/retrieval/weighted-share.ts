/**
 * Share of the (distinct) terms' weight found in `present`, 0..1: how much of a question a text
 * covers when rare terms count more (weights are usually IDF). 0 when the terms weigh nothing.
 */
export function weightedShare(
  terms: readonly string[],
  present: ReadonlySet<string>,
  weight: (term: string) => number,
): number {
  let total = 0;
  let found = 0;
  for (const term of new Set(terms)) {
    const termWeight = weight(term);
    total += termWeight;
    if (present.has(term)) found += termWeight;
  }
  return total > 0 ? found / total : 0;
}
