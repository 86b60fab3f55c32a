/**
 * Precision and recall of `trending --topic <text>` on the labelled set of `tests/fixtures/topics/`:
 *
 *   node bin/run-ts.mjs scripts/topic-eval.ts [--threshold 0.5] [--json]
 *
 * Scores the 204 papers with `scoreTopic` (what `filterByTopic` keeps: score >= threshold) for each
 * topic, in three variants: the topic as typed (the 10 topics are known profiles), the same text
 * as free text (evidence from its own words plus corpus expansion), and free text without the
 * expansion. Prints pooled precision/recall of the FIT and REPORT parts at a few thresholds, and
 * per topic at `--threshold` (default: the filter's default).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/corpus/bundled.ts';
import {
  addCounts,
  countDecisions,
  FIT_TOPICS,
  loadTopicLabelledSet,
  precisionRecall,
  REPORT_TOPICS,
  type TopicCounts,
} from '../src/trending/topic-evaluation.ts';
import { DEFAULT_TOPIC_THRESHOLD, scoreTopic } from '../src/trending/topic-filter.ts';

const { values } = parseArgs({ options: { threshold: { type: 'string' }, json: { type: 'boolean' } } });
const threshold = values.threshold === undefined ? DEFAULT_TOPIC_THRESHOLD : Number(values.threshold);
if (!(threshold >= 0 && threshold <= 1))
  throw new Error(`--threshold "${values.threshold}" is not a number from 0 to 1.`);
const thresholds = [...new Set([0.4, 0.45, 0.5, 0.55, 0.6, threshold])].sort();

const set = loadTopicLabelledSet(join(PACKAGE_ROOT, 'tests', 'fixtures', 'topics'));
const variants = {
  'known topic': { freeText: false },
  'free text': { freeText: true },
  'free text, no expansion': { freeText: true, expand: false },
} as const;
const parts: Record<string, readonly string[]> = { FIT: FIT_TOPICS, REPORT: REPORT_TOPICS };
const pct = (value: number) => value.toFixed(2);

const report: Record<string, unknown> = { threshold };
const lines: string[] = [];
for (const [variant, options] of Object.entries(variants)) {
  lines.push(`${variant}`);
  const byPart: Record<string, unknown> = {};
  for (const [part, topics] of Object.entries(parts)) {
    const scores = new Map(topics.map((topic) => [topic, scoreTopic(set.papers, topic, options).scores]));
    const countsAt = (cut: number, topic: string): TopicCounts =>
      countDecisions(
        set.papers.filter((_, index) => (scores.get(topic)?.[index] ?? 0) >= cut).map((paper) => paper.id),
        set.onTopic.get(topic) ?? new Set(),
      );
    const pooled = thresholds.map((cut) => {
      const counts = addCounts(topics.map((topic) => countsAt(cut, topic)));
      return { threshold: cut, ...counts, ...precisionRecall(counts) };
    });
    const perTopic = Object.fromEntries(
      topics.map((topic) => {
        const counts = countsAt(threshold, topic);
        return [topic, { ...counts, ...precisionRecall(counts) }];
      }),
    );
    byPart[part] = { pooled, perTopic };
    lines.push(
      `  ${part.padEnd(6)} ${pooled.map((row) => `@${row.threshold} P ${pct(row.precision)} R ${pct(row.recall)}`).join('  ')}`,
    );
    for (const [topic, row] of Object.entries(perTopic)) {
      lines.push(
        `    ${topic.padEnd(38)} kept ${String(row.truePositives + row.falsePositives).padStart(3)}  on ${String(row.truePositives + row.falseNegatives).padStart(3)}  precision ${pct(row.precision)}  recall ${pct(row.recall)}`,
      );
    }
  }
  report[variant] = byPart;
  lines.push('');
}
process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${lines.join('\n')}`);
