import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import {
  addCounts,
  BLIND_TOPICS,
  countDecisions,
  FIT_TOPICS,
  loadTopicLabelledSet,
  precisionRecall,
  REPORT_TOPICS,
} from '../../src/trending/topic-evaluation.ts';

const DIR = join(PACKAGE_ROOT, 'tests', 'fixtures', 'topics');

describe('topic labelled set', () => {
  const set = loadTopicLabelledSet(DIR);
  const labels = readFileSync(join(DIR, 'labels.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { topic: string; paperId: string; on: boolean });

  it('judges every paper of the recorded HF days and the bundled corpus once per topic', () => {
    const hfIds = [
      'daily_papers-limit25-2026-07-13',
      'daily_papers-limit30-2026-06-12',
      'daily_papers-limit30-2026-07-31',
    ]
      .flatMap((name) =>
        JSON.parse(readFileSync(join(PACKAGE_ROOT, 'tests', 'fixtures', 'hf', `${name}.json`), 'utf8')),
      )
      .map((entry: { paper: { id: string } }) => entry.paper.id);
    const seedIds = readFileSync(join(PACKAGE_ROOT, 'corpus', 'seed-papers.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { id: string }).id);
    const ids = set.papers.map((paper) => paper.id);
    expect(ids).toEqual([...hfIds, ...seedIds]);
    expect(new Set(ids).size).toBe(ids.length);
    const topics = [...FIT_TOPICS, ...REPORT_TOPICS, ...BLIND_TOPICS];
    expect([...set.onTopic.keys()].sort()).toEqual([...topics].sort());
    expect(labels).toHaveLength(topics.length * ids.length);
    for (const topic of topics) {
      const judged = labels.filter((label) => label.topic === topic).map((label) => label.paperId);
      expect(judged.sort()).toEqual([...ids].sort());
      expect(set.onTopic.get(topic)?.size).toBeGreaterThan(0);
    }
  });

  it('keeps FIT, REPORT and BLIND topics apart', () => {
    const all: readonly string[] = [...FIT_TOPICS, ...REPORT_TOPICS, ...BLIND_TOPICS];
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('topic metrics', () => {
  it('counts kept papers against the labels and pools topics', () => {
    const first = countDecisions(['a', 'b', 'x'], new Set(['a', 'b', 'c', 'd']));
    expect(first).toEqual({ truePositives: 2, falsePositives: 1, falseNegatives: 2 });
    expect(precisionRecall(first)).toEqual({ precision: 2 / 3, recall: 0.5 });
    const pooled = addCounts([first, countDecisions([], new Set(['e']))]);
    expect(pooled).toEqual({ truePositives: 2, falsePositives: 1, falseNegatives: 3 });
    expect(precisionRecall(countDecisions([], new Set()))).toEqual({ precision: 1, recall: 1 });
  });
});
