/**
 * Precision and recall of `trending --topic <text>` on the labelled set of `tests/fixtures/topics/`:
 *
 *   node bin/run-ts.mjs scripts/topic-eval.ts [--threshold 0.3] [--json]
 *
 * Runs the same path as the CLI: the 204 papers are indexed with the local embeddings in a temporary
 * directory, and `filterByTopic` keeps papers with `{ query: topic }` through a HybridRetriever.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/corpus/bundled.ts';
import { LocalEmbeddings } from '../src/embeddings/local-embeddings.ts';
import { HybridRetriever } from '../src/retrieval/hybrid-retriever.ts';
import { PaperIndex } from '../src/retrieval/paper-index.ts';
import {
  addCounts,
  countDecisions,
  FIT_TOPICS,
  loadTopicLabelledSet,
  precisionRecall,
  REPORT_TOPICS,
  type TopicCounts,
} from '../src/trending/topic-evaluation.ts';
import { DEFAULT_TOPIC_THRESHOLD, filterByTopic } from '../src/trending/topic-filter.ts';

const { values } = parseArgs({
  options: { threshold: { type: 'string' }, json: { type: 'boolean' } },
});
const threshold = values.threshold === undefined ? DEFAULT_TOPIC_THRESHOLD : Number(values.threshold);

const set = loadTopicLabelledSet(join(PACKAGE_ROOT, 'tests', 'fixtures', 'topics'));
const dir = mkdtempSync(join(tmpdir(), 'paperbot-topic-eval-'));
try {
  const index = await PaperIndex.build(dir, set.papers, new LocalEmbeddings());
  const retriever = new HybridRetriever(index);
  const report: Record<string, unknown> = { threshold };
  const lines: string[] = [`threshold ${threshold}`];
  const pct = (value: number) => value.toFixed(2);
  for (const [part, topics] of [
    ['FIT', FIT_TOPICS],
    ['REPORT', REPORT_TOPICS],
  ] as const) {
    const perTopic: Record<string, unknown> = {};
    const all: TopicCounts[] = [];
    lines.push('', `${part} part`);
    for (const topic of topics) {
      const kept = await filterByTopic(set.papers, { query: topic, threshold }, { retriever });
      const counts = countDecisions(
        kept.map((paper) => paper.id),
        set.onTopic.get(topic) ?? new Set(),
      );
      all.push(counts);
      const { precision, recall } = precisionRecall(counts);
      perTopic[topic] = { ...counts, precision, recall };
      lines.push(
        `  ${topic.padEnd(38)} kept ${String(counts.truePositives + counts.falsePositives).padStart(3)}  on ${String(counts.truePositives + counts.falseNegatives).padStart(3)}  precision ${pct(precision)}  recall ${pct(recall)}`,
      );
    }
    const pooled = addCounts(all);
    const { precision, recall } = precisionRecall(pooled);
    report[part] = { perTopic, overall: { ...pooled, precision, recall } };
    lines.push(`  ${'overall (pooled)'.padEnd(38)} precision ${pct(precision)}  recall ${pct(recall)}`);
  }
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${lines.join('\n')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
