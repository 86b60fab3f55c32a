import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Paper } from '../corpus/paper.ts';

/** Topics of the labelled set used for calibration. */
export const FIT_TOPICS = [
  'reinforcement learning',
  'image and video generation',
  'robotics',
  'interpretability',
  'efficient inference and quantization',
] as const;

/** Topics of the labelled set used only for reporting. */
export const REPORT_TOPICS = [
  'retrieval-augmented generation',
  'speech and audio',
  'code generation',
  'multilingual',
  'LLM agents',
] as const;

/**
 * Topics judged blind by two more engineers after the filter was designed (no profile, so they are
 * filtered as free text): only for reporting how the filter does on topics nobody has seen.
 */
export const BLIND_TOPICS = [
  'mathematical reasoning',
  'vision-language models',
  'text embeddings',
  'AI safety and alignment',
  'benchmarks and evaluation',
  'tokenization',
  'diffusion models',
  'AI for science and medicine',
  'synthetic data',
  'long context',
  'mixture of experts',
  'continual learning',
  'knowledge distillation',
  // Judged blind after the free-text model was made (`blind-4/`), run once on it, then added here.
  'model compression and pruning',
  'multimodal reasoning',
  'instruction tuning',
  'hallucination',
  'graph neural networks',
  'federated and privacy-preserving learning',
  'world models',
  'representation learning in language models',
] as const;

/** The labelled set of `tests/fixtures/topics/`. */
export interface TopicLabelledSet {
  /** The judged papers, in file order. */
  papers: Paper[];
  /** Per topic text, the ids of the papers judged on it (every other paper is off). */
  onTopic: Map<string, Set<string>>;
}

/**
 * Reads `papers.jsonl` and `labels.jsonl` from `dir`, or the labels from `labelsPath` (same format:
 * one `{ "topic", "paperId", "on" }` per line, over the papers of `dir`). Throws on a line that is
 * not such a label or names a paper that is not in `papers.jsonl`, saying which line.
 */
export function loadTopicLabelledSet(dir: string, labelsPath = join(dir, 'labels.jsonl')): TopicLabelledSet {
  const lines = (path: string) =>
    readFileSync(path, 'utf8')
      .split('\n')
      .map((line, index) => ({ line, number: index + 1 }))
      .filter(({ line }) => line.trim() !== '');
  const papers: Paper[] = lines(join(dir, 'papers.jsonl')).map(({ line }) => {
    const row = JSON.parse(line) as { id: string; title: string; abstract: string };
    return { id: row.id, title: row.title, abstract: row.abstract };
  });
  const ids = new Set(papers.map((paper) => paper.id));
  const onTopic = new Map<string, Set<string>>();
  for (const { line, number } of lines(labelsPath)) {
    const where = `${labelsPath}:${number}`;
    let label: { topic?: unknown; paperId?: unknown; on?: unknown };
    try {
      label = JSON.parse(line);
    } catch (error) {
      throw new Error(`${where}: not JSON (${(error as Error).message}).`);
    }
    if (
      typeof label.topic !== 'string' ||
      typeof label.paperId !== 'string' ||
      typeof label.on !== 'boolean'
    ) {
      throw new Error(
        `${where}: expected {"topic": "...", "paperId": "...", "on": true|false}, got ${line.slice(0, 120)}.`,
      );
    }
    if (!ids.has(label.paperId)) {
      throw new Error(`${where}: paper "${label.paperId}" is not in ${join(dir, 'papers.jsonl')}.`);
    }
    const set = onTopic.get(label.topic) ?? new Set<string>();
    if (label.on) set.add(label.paperId);
    onTopic.set(label.topic, set);
  }
  return { papers, onTopic };
}

/** Counts of one topic's (or a part's pooled) decisions against the labels. */
export interface TopicCounts {
  /** Kept and judged on. */
  truePositives: number;
  /** Kept but judged off. */
  falsePositives: number;
  /** Judged on but dropped. */
  falseNegatives: number;
}

/** Compares the kept ids with the ids judged on. */
export function countDecisions(kept: Iterable<string>, on: ReadonlySet<string>): TopicCounts {
  const keptSet = new Set(kept);
  let truePositives = 0;
  for (const id of keptSet) if (on.has(id)) truePositives += 1;
  return {
    truePositives,
    falsePositives: keptSet.size - truePositives,
    falseNegatives: on.size - truePositives,
  };
}

/** Adds counts (micro-averaging over topics). */
export function addCounts(counts: readonly TopicCounts[]): TopicCounts {
  return counts.reduce(
    (sum, count) => ({
      truePositives: sum.truePositives + count.truePositives,
      falsePositives: sum.falsePositives + count.falsePositives,
      falseNegatives: sum.falseNegatives + count.falseNegatives,
    }),
    { truePositives: 0, falsePositives: 0, falseNegatives: 0 },
  );
}

/** Precision (1 when nothing was kept) and recall (1 when nothing is on). */
export function precisionRecall(counts: TopicCounts): { precision: number; recall: number } {
  const kept = counts.truePositives + counts.falsePositives;
  const on = counts.truePositives + counts.falseNegatives;
  return {
    precision: kept === 0 ? 1 : counts.truePositives / kept,
    recall: on === 0 ? 1 : counts.truePositives / on,
  };
}
