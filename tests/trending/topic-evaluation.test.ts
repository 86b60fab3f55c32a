import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
import { DEFAULT_TOPIC_THRESHOLD, scoreTopic } from '../../src/trending/topic-filter.ts';

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
      // Three topics judged blind have no paper on them: they measure only what a filter keeps wrongly.
      const none = [
        'instruction tuning',
        'graph neural networks',
        'federated and privacy-preserving learning',
      ];
      expect(set.onTopic.get(topic)?.size === 0).toBe(none.includes(topic));
    }
  });

  it('keeps FIT, REPORT and BLIND topics apart', () => {
    const all: readonly string[] = [...FIT_TOPICS, ...REPORT_TOPICS, ...BLIND_TOPICS];
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('another label file (--labels)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'topic-labels-'));
  const set = loadTopicLabelledSet(DIR);
  const write = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  // Two new topics over the same papers: "robot learning" on the robotics papers, "agents" on none.
  const robotics = set.onTopic.get('robotics') ?? new Set<string>();
  const labels = write(
    'labels.jsonl',
    ['robot learning', 'agents'].flatMap((topic) =>
      set.papers.map((paper) =>
        JSON.stringify({
          topic,
          paperId: paper.id,
          on: topic === 'robot learning' && robotics.has(paper.id),
        }),
      ),
    ),
  );

  it('is read over the papers of the fixture, and a bad line is named', () => {
    const other = loadTopicLabelledSet(DIR, labels);
    expect([...other.onTopic.keys()]).toEqual(['robot learning', 'agents']);
    expect(other.onTopic.get('robot learning')).toEqual(robotics);
    const unknown = write('unknown.jsonl', ['{"topic":"x","paperId":"nope","on":true}']);
    expect(() => loadTopicLabelledSet(DIR, unknown)).toThrow(/unknown\.jsonl:1: paper "nope" is not in/);
    const bad = write('bad.jsonl', ['{"topic":"x","paperId":"seed-001","on":"yes"}']);
    expect(() => loadTopicLabelledSet(DIR, bad)).toThrow(/bad\.jsonl:1: expected \{"topic"/);
  });

  it('gets per-topic and pooled precision and recall from scripts/topic-eval.ts', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(PACKAGE_ROOT, 'bin', 'run-ts.mjs'),
        join(PACKAGE_ROOT, 'scripts', 'topic-eval.ts'),
        '--labels',
        labels,
        '--json',
      ],
      { cwd: PACKAGE_ROOT, env: { PATH: process.env.PATH ?? '' } },
    );
    rmSync(dir, { recursive: true, force: true });
    const report = JSON.parse(stdout) as Record<
      string,
      Record<string, { perTopic: Record<string, unknown> }>
    >;
    const other = report['as typed']?.OTHER;
    expect(Object.keys(report['as typed'] ?? {})).toEqual(['OTHER']);
    const { scores } = scoreTopic(set.papers, 'robot learning');
    const kept = set.papers.filter((_, index) => (scores[index] ?? 0) >= DEFAULT_TOPIC_THRESHOLD);
    const counts = countDecisions(
      kept.map((paper) => paper.id),
      robotics,
    );
    expect(other?.perTopic['robot learning']).toEqual({ ...counts, ...precisionRecall(counts) });
    expect(other?.perTopic.agents).toMatchObject({ truePositives: 0, falseNegatives: 0 });
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
