import type { Paper } from '../corpus/paper.ts';
import { describeError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/**
 * With a judge, papers of a known topic whose offline topic score is below this are dropped without
 * asking it (unless a keyword keeps them); free text also asks about any paper with evidence of the
 * topic (`isJudgeCandidate` in `topic-filter.ts`). On the labelled set (`scripts/topic-eval.ts`),
 * this keeps every on-topic paper of the known FIT topics (recall 1.00, 257 of 1,020 paper-topic
 * pairs asked) and, as free text, 0.988 of FIT (597 asked), 0.945 of REPORT (801 of 1,020) and
 * 0.956 of the BLIND topics (1,639 of 2,652).
 */
export const JUDGE_CANDIDATE_SCORE = 0.1;

/** A stronger judge of aboutness than the offline score: an LLM asked per paper. */
export interface TopicJudge {
  /** Short name for logs, e.g. `openai`. */
  readonly name: string;
  /** Most papers `judge` is given at once; `judgeTopic` splits longer lists. */
  readonly batchSize: number;
  /**
   * The ids of those of `papers` whose main subject is `topic` (not a passing mention, not a
   * method used on the side). Ids not in `papers` are never returned. Throws when it cannot
   * decide (timeout, HTTP error, unusable reply); the caller then keeps the offline decision.
   */
  judge(
    topic: string,
    papers: readonly Paper[],
    options?: { signal?: AbortSignal },
  ): Promise<ReadonlySet<string>>;
}

/** Bounded memory of verdicts per (topic, paper id), oldest forgotten first. */
export class TopicVerdictCache {
  private readonly verdicts = new Map<string, boolean>();

  /** `maxEntries`: verdicts kept (default 20,000: a few days of digests over many topics). */
  constructor(private readonly maxEntries = 20_000) {}

  private static key(topic: string, paperId: string): string {
    return `${topic.trim().toLowerCase().replace(/\s+/g, ' ')}\u0000${paperId}`;
  }

  /** The verdict remembered for `paperId` on `topic`, or undefined. */
  get(topic: string, paperId: string): boolean | undefined {
    const key = TopicVerdictCache.key(topic, paperId);
    const verdict = this.verdicts.get(key);
    if (verdict !== undefined) {
      this.verdicts.delete(key);
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  set(topic: string, paperId: string, on: boolean): void {
    const key = TopicVerdictCache.key(topic, paperId);
    this.verdicts.delete(key);
    this.verdicts.set(key, on);
    while (this.verdicts.size > this.maxEntries) {
      const oldest = this.verdicts.keys().next().value;
      if (oldest === undefined) break;
      this.verdicts.delete(oldest);
    }
  }

  /** Verdicts held. */
  get size(): number {
    return this.verdicts.size;
  }
}

/** Batches asked at the same time. */
const CONCURRENT_BATCHES = 2;

/**
 * The judge's verdict on each of `papers` for `topic`: remembered ones from `cache`, the others
 * asked in batches of `judge.batchSize` (two at a time) and remembered. A paper of a batch that
 * failed has no verdict (absent from the map): the caller keeps its offline decision. Failures
 * are logged once per call (warn), never thrown.
 */
export async function judgeTopic(
  judge: TopicJudge,
  topic: string,
  papers: readonly Paper[],
  options: { cache?: TopicVerdictCache; logger?: Logger } = {},
): Promise<Map<string, boolean>> {
  const verdicts = new Map<string, boolean>();
  const unseen: Paper[] = [];
  for (const paper of papers) {
    const known = options.cache?.get(topic, paper.id);
    if (known === undefined) unseen.push(paper);
    else verdicts.set(paper.id, known);
  }
  const size = Math.max(1, judge.batchSize);
  const batches: Paper[][] = [];
  for (let start = 0; start < unseen.length; start += size) batches.push(unseen.slice(start, start + size));
  const failures: unknown[] = [];
  let failedPapers = 0;
  for (let start = 0; start < batches.length; start += CONCURRENT_BATCHES) {
    const group = batches.slice(start, start + CONCURRENT_BATCHES);
    const results = await Promise.allSettled(group.map((batch) => judge.judge(topic, batch)));
    results.forEach((result, index) => {
      const batch = group[index]!;
      if (result.status === 'rejected') {
        failures.push(result.reason);
        failedPapers += batch.length;
        return;
      }
      for (const paper of batch) {
        const on = result.value.has(paper.id);
        verdicts.set(paper.id, on);
        options.cache?.set(topic, paper.id, on);
      }
    });
  }
  if (failures.length > 0) {
    options.logger?.warn(
      {
        judge: judge.name,
        topic,
        failedBatches: failures.length,
        batches: batches.length,
        papers: failedPapers,
        error: describeError(failures[0]),
      },
      'topic judge failed; keeping the offline topic decision for those papers',
    );
  }
  return verdicts;
}
