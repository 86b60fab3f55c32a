import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runTrending } from '../../adapters/cli/commands/trending.ts';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { parseSubscriptionTopic } from '../../src/trending/destinations.ts';
import {
  addCounts,
  BLIND_TOPICS,
  countDecisions,
  FIT_TOPICS,
  loadTopicLabelledSet,
  precisionRecall,
  REPORT_TOPICS,
} from '../../src/trending/topic-evaluation.ts';
import { DEFAULT_TOPIC_THRESHOLD, filterByTopic, scoreTopic } from '../../src/trending/topic-filter.ts';
import { createTrendingService } from '../../src/trending/trending-service.ts';
import { insertPapers, papersFromHfFixture, tempDatabase } from './trending-fixtures.ts';

const set = loadTopicLabelledSet(join(PACKAGE_ROOT, 'tests', 'fixtures', 'topics'));

async function pooled(topics: readonly string[], keep: (topic: string) => Promise<string[]>) {
  const counts = [];
  for (const topic of topics)
    counts.push(countDecisions(await keep(topic), set.onTopic.get(topic) ?? new Set()));
  return precisionRecall(addCounts(counts));
}

/*
 * Floors within two papers of the figures of `scripts/topic-eval.ts` at the default threshold (README
 * "Topic filter"; the model fit is deterministic): they catch a regression, they are not the issue's
 * bar (precision 0.9, recall 0.8), which the filter does not reach. Measured: known topics FIT
 * 69/104 kept on, 69/84 on kept (0.66/0.82), REPORT 46/71, 46/55 (0.65/0.84); free text (the
 * topic's own words) FIT 18/25, 18/84 (0.72/0.21), REPORT 21/29, 21/55 (0.72/0.38); BLIND (free
 * text: no profile) 38/47, 38/137 (0.81/0.28). Before the own-words model, free text kept far more
 * at far lower precision: FIT 58/112 (0.52/0.69), REPORT 40/175 (0.23/0.73), BLIND 107/536 (0.20/0.78).
 */
describe('topic filter on the labelled set (default threshold)', () => {
  const known = (topic: string) =>
    filterByTopic(set.papers, { query: topic }).then((kept) => kept.map((paper) => paper.id));
  const freeText = async (topic: string) => {
    const { scores } = scoreTopic(set.papers, topic, { freeText: true });
    return set.papers
      .filter((_, index) => (scores[index] ?? 0) >= DEFAULT_TOPIC_THRESHOLD)
      .map((paper) => paper.id);
  };

  it('known topics: FIT precision >= 0.64 and recall >= 0.79', async () => {
    const { precision, recall } = await pooled(FIT_TOPICS, known);
    expect(precision).toBeGreaterThanOrEqual(0.64);
    expect(recall).toBeGreaterThanOrEqual(0.79);
  });

  it('known topics: REPORT precision >= 0.62 and recall >= 0.8', async () => {
    const { precision, recall } = await pooled(REPORT_TOPICS, known);
    expect(precision).toBeGreaterThanOrEqual(0.62);
    expect(recall).toBeGreaterThanOrEqual(0.8);
  });

  it('the same topics typed as free text: FIT precision >= 0.64, recall >= 0.19; REPORT >= 0.65, >= 0.34', async () => {
    const fit = await pooled(FIT_TOPICS, freeText);
    expect(fit.precision).toBeGreaterThanOrEqual(0.64);
    expect(fit.recall).toBeGreaterThanOrEqual(0.19);
    const report = await pooled(REPORT_TOPICS, freeText);
    expect(report.precision).toBeGreaterThanOrEqual(0.65);
    expect(report.recall).toBeGreaterThanOrEqual(0.34);
  });

  it('topics judged blind, with no profile (free text): precision >= 0.70, recall >= 0.19', async () => {
    const { precision, recall } = await pooled(BLIND_TOPICS, known);
    expect(precision).toBeGreaterThanOrEqual(0.7);
    expect(recall).toBeGreaterThanOrEqual(0.19);
  });

  it('a broad free-text topic keeps few papers, not most of them (was 151 of 204)', async () => {
    const kept = await known('vision-language models');
    expect(kept.length).toBeLessThanOrEqual(17);
    const on = set.onTopic.get('vision-language models') ?? new Set();
    expect(countDecisions(kept, on).truePositives).toBeGreaterThanOrEqual(kept.length - 1);
  });
});

describe('one topic filter for the CLI, /trending, /subscribe and digests', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('keeps the same papers of a day through `trending --topic` and a subscription topic', async () => {
    const fixture = fileURLToPath(
      new URL('../fixtures/hf/daily_papers-limit30-2026-07-31.json', import.meta.url),
    );
    const day = papersFromHfFixture(fixture);
    const store = tempDatabase();
    cleanups.push(store.cleanup);
    insertPapers(store.database, day);
    const service = createTrendingService({ database: store.database });
    const topic = 'reinforcement learning';

    let out = '';
    const code = await runTrending(
      ['--topic', topic, '--limit', '30', '--json'],
      { out: (text) => (out += text), err: () => {} },
      async () => (options) => service.trendingDigest(options),
    );
    expect(code).toBe(0);
    const viaCli = (JSON.parse(out) as { items: { paperId: string }[] }).items.map((item) => item.paperId);
    // A `/subscribe topic:` row stores the text; digests parse it back into the filter.
    const viaSubscription = (
      await service.trendingDigest({ topic: parseSubscriptionTopic(topic), limit: 30 })
    ).items.map((item) => item.paperId);
    const direct = (await filterByTopic(day, { query: topic })).map((paper) => paper.id);

    expect(viaCli.length).toBeGreaterThan(0);
    expect(viaCli.length).toBeLessThan(day.length / 2);
    expect(viaSubscription).toEqual(viaCli);
    expect([...viaCli].sort()).toEqual([...direct].sort());
  });
});
