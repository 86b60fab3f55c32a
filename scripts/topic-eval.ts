/**
 * Precision and recall of `trending --topic <text>` on the labelled set of `tests/fixtures/topics/`:
 *
 *   node bin/run-ts.mjs scripts/topic-eval.ts [--threshold 0.5] [--part fit|report|other|all]
 *                                             [--labels FILE] [--json]
 *
 * Scores the 204 papers with `scoreTopic` (what `filterByTopic` keeps: score >= threshold) for each
 * topic, in two variants: the topic as typed (a topic naming a profile on it, any other text as
 * free text) and the same text forced to free text (the topic's own words). Prints pooled
 * precision/recall per part at a few thresholds, per topic at `--threshold` (default: the filter's
 * default), and the LLM judge's candidates (`isJudgeCandidate`: how many pairs it would be asked
 * about, and the recall a judge that is always right would reach). Last, as `trending` runs it:
 * each recorded HF day's papers filtered on their own, pooled over the three days.
 *
 * Parts: FIT and REPORT (see `topic-evaluation.ts`), OTHER (every other labelled topic, e.g. the
 * BLIND ones). `--part fit` leaves the REPORT topics out (for work on the filter, which must not
 * look at them), `--part report` shows only them, `--part other` only the others; default all.
 * `--labels FILE` reads the labels from FILE instead of `tests/fixtures/topics/labels.jsonl` (same
 * format, over the same 204 papers of `papers.jsonl`); its topics go to the parts above.
 *
 * `--judge llm` instead runs `filterByTopic` with the LLM topic judge (`OpenAITopicJudge`) of the
 * configured OpenAI-compatible server (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_CHAT_MODEL`) on
 * every topic of the chosen parts, as typed (known topics on their profile, others as free text),
 * and prints pooled precision/recall per part with the number of calls and of papers the judge
 * could not decide (those keep the offline decision).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
import { DEFAULT_TOPIC_THRESHOLD, isJudgeCandidate, scoreTopic } from '../src/trending/topic-filter.ts';
import { JUDGE_CANDIDATE_SCORE } from '../src/trending/topic-judge.ts';
import { evaluateWithJudge } from './topic-judge-eval.ts';

const { values } = parseArgs({
  options: {
    threshold: { type: 'string' },
    part: { type: 'string' },
    json: { type: 'boolean' },
    judge: { type: 'string' },
    labels: { type: 'string' },
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

const fixtures = join(PACKAGE_ROOT, 'tests', 'fixtures', 'topics');
const set = loadTopicLabelledSet(fixtures, values.labels ? resolve(values.labels) : undefined);
const variants = {
  'as typed': { freeText: false },
  'free text': { freeText: true },
} as const;
const known = new Set<string>([...FIT_TOPICS, ...REPORT_TOPICS]);
const labelled = (topics: readonly string[]) => topics.filter((topic) => set.onTopic.has(topic));
const others = [...set.onTopic.keys()].filter((topic) => !known.has(topic));
const parts = Object.fromEntries(
  Object.entries({
    ...(part === 'report' || part === 'other' ? {} : { FIT: labelled(FIT_TOPICS) }),
    ...(part === 'fit' || part === 'other' ? {} : { REPORT: labelled(REPORT_TOPICS) }),
    ...(part === 'all' || part === 'other' ? { OTHER: others } : {}),
  }).filter(([, topics]) => topics.length > 0),
) as Record<string, readonly string[]>;
if (Object.keys(parts).length === 0) throw new Error(`No labelled topic in --part ${part}.`);
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
    const scored = new Map(topics.map((topic) => [topic, scoreTopic(set.papers, topic, options)]));
    const keptBy = (topic: string, keep: (index: number) => boolean): TopicCounts =>
      countDecisions(
        set.papers.filter((_, index) => keep(index)).map((paper) => paper.id),
        set.onTopic.get(topic) ?? new Set(),
      );
    const countsAt = (cut: number, topic: string): TopicCounts =>
      keptBy(topic, (index) => (scored.get(topic)?.scores[index] ?? 0) >= cut);
    const candidateCut = Math.min(JUDGE_CANDIDATE_SCORE, threshold);
    const candidates = addCounts(
      topics.map((topic) => {
        const scores = scored.get(topic);
        return keptBy(
          topic,
          (index) => scores !== undefined && isJudgeCandidate(scores, index, candidateCut),
        );
      }),
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
    const ceiling = {
      asked: candidates.truePositives + candidates.falsePositives,
      pairs: topics.length * set.papers.length,
      recall: precisionRecall(candidates).recall,
    };
    byPart[part] = { pooled, perTopic, judgeCandidates: ceiling };
    lines.push(
      `  ${part.padEnd(6)} ${pooled.map((row) => `@${row.threshold} P ${pct(row.precision)} R ${pct(row.recall)}`).join('  ')}`,
    );
    lines.push(
      `    judge candidates (cut ${candidateCut}): ${ceiling.asked} of ${ceiling.pairs} pairs asked, recall ceiling ${ceiling.recall.toFixed(3)}`,
    );
    const total = pooled.find((row) => row.threshold === threshold);
    if (total) {
      lines.push(
        `    pooled at ${threshold}: kept ${total.truePositives + total.falsePositives}, on ${total.truePositives + total.falseNegatives}, precision ${pct(total.precision)} (${total.truePositives}/${total.truePositives + total.falsePositives}), recall ${pct(total.recall)} (${total.truePositives}/${total.truePositives + total.falseNegatives})`,
      );
    }
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
