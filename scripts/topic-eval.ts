/**
 * Precision and recall of `trending --topic <text>` on the labelled set of `tests/fixtures/topics/`:
 *
 *   node bin/run-ts.mjs scripts/topic-eval.ts [--threshold 0.5] [--part fit|report|other|all] [--json]
 *
 * Scores the 204 papers with `scoreTopic` (what `filterByTopic` keeps: score >= threshold) for each
 * topic, in three variants: the topic as typed (the 10 topics are known profiles), the same text
 * as free text (evidence from its own words plus corpus expansion), and free text without the
 * expansion. Prints pooled precision/recall of the FIT and REPORT parts at a few thresholds, and
 * per topic at `--threshold` (default: the filter's default). Last, as `trending` runs it: each
 * recorded HF day's papers filtered on their own (free-text IDF and expansion then rest on that
 * day's 25-30 papers), pooled over the three days. `--part fit` leaves the REPORT topics out (for
 * work on the filter, which must not look at them), `--part report` shows only them, `--part other`
 * only the labelled topics that are neither (e.g. a new blind set added to labels.jsonl); default all.
 *
 * `--judge llm` instead runs `filterByTopic` with the LLM topic judge (`OpenAITopicJudge`) of the
 * configured OpenAI-compatible server (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_CHAT_MODEL`) on
 * every topic of the chosen parts, as typed (known topics on their profile, others as free text),
 * and prints pooled precision/recall per part with the number of calls and of papers the judge
 * could not decide (those keep the offline decision).
 */
import { readFileSync } from 'node:fs';
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
import { evaluateWithJudge } from './topic-judge-eval.ts';

const { values } = parseArgs({
  options: {
    threshold: { type: 'string' },
    part: { type: 'string' },
    json: { type: 'boolean' },
    judge: { type: 'string' },
  },
});
if (values.judge !== undefined && values.judge !== 'llm')
  throw new Error(`--judge "${values.judge}" is not llm (leave it out for the offline filter).`);
const part = values.part ?? 'all';
if (!['fit', 'report', 'other', 'all'].includes(part))
  throw new Error(`--part "${part}" is not fit, report, other or all.`);
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
const known = new Set<string>([...FIT_TOPICS, ...REPORT_TOPICS]);
const others = [...set.onTopic.keys()].filter((topic) => !known.has(topic));
const parts: Record<string, readonly string[]> = {
  ...(part === 'report' || part === 'other' ? {} : { FIT: FIT_TOPICS }),
  ...(part === 'fit' || part === 'other' ? {} : { REPORT: REPORT_TOPICS }),
  ...((part === 'all' || part === 'other') && others.length > 0 ? { OTHER: others } : {}),
};
const pct = (value: number) => value.toFixed(2);
if (values.judge === 'llm') {
  const report = await evaluateWithJudge(set, parts, threshold);
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${report.lines.join('\n')}\n`);
  process.exit(0);
}

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
const days = [
  'daily_papers-limit25-2026-07-13',
  'daily_papers-limit30-2026-06-12',
  'daily_papers-limit30-2026-07-31',
];
const dayPapers = days.map((name) => {
  const file = join(PACKAGE_ROOT, 'tests', 'fixtures', 'hf', `${name}.json`);
  const ids = new Set(
    (JSON.parse(readFileSync(file, 'utf8')) as { paper: { id: string } }[]).map((item) => item.paper.id),
  );
  return set.papers.filter((paper) => ids.has(paper.id));
});
const perDay: Record<string, unknown> = {};
lines.push(
  `one HF day at a time (${dayPapers.map((papers) => papers.length).join(' + ')} papers), threshold ${threshold}`,
);
for (const [variant, options] of Object.entries(variants)) {
  const row: string[] = [];
  for (const [part, topics] of Object.entries(parts)) {
    const counts = topics.flatMap((topic) =>
      dayPapers.map((papers) => {
        const { scores } = scoreTopic(papers, topic, options);
        const ids = new Set(papers.map((paper) => paper.id));
        const on = new Set([...(set.onTopic.get(topic) ?? [])].filter((id) => ids.has(id)));
        return countDecisions(
          papers.filter((_, index) => (scores[index] ?? 0) >= threshold).map((paper) => paper.id),
          on,
        );
      }),
    );
    const pooled = addCounts(counts);
    const result = { ...pooled, ...precisionRecall(pooled) };
    perDay[`${variant} ${part}`] = result;
    row.push(
      `${part} P ${pct(result.precision)} R ${pct(result.recall)} (on ${pooled.truePositives + pooled.falseNegatives})`,
    );
  }
  lines.push(`  ${variant.padEnd(24)} ${row.join('  ')}`);
}
report['one HF day at a time'] = perDay;
process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${lines.join('\n')}\n`);
