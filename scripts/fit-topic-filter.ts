/**
 * Fits the topic model from committed data (the FIT topics of `tests/fixtures/topics/` only) and
 * writes `index/topic-model.json`:
 *
 *   node bin/run-ts.mjs scripts/fit-topic-filter.ts           # fit, print the table, write
 *   node bin/run-ts.mjs scripts/fit-topic-filter.ts --check   # refit and compare with the committed file
 *
 * For known topics (profiles) it prints each signal's leave-one-topic-out figures (evidence alone,
 * evidence + the signal, all signals), selects signals forward from `evidence` among the phrase
 * signals (a signal joins when it raises held-out precision at the cut by at least 0.02) and fits
 * them on all five FIT topics, the cut being the highest held-out probability whose pooled recall is
 * >= 0.8. For the same topics typed as free text it fits the fixed `words*` signals of the topic's
 * own words (`src/trending/topic-words.ts`), the cut being probability 0.5, and prints what adding
 * any other signal or dropping one of them would do held out (F1 at the cut).
 * Deterministic: the same data always gives the same file. REPORT topics are never read.
 *
 *   ... --embeddings   also measures (not selectable: the filter embeds nothing) dense similarity
 *                      with the local USE-lite model: title and abstract to the topic's description
 *                      (the topic text for free text), and the abstract to the centroid of the 8
 *                      papers with the most evidence minus to the centroid of all (about a minute).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/corpus/bundled.ts';
import { LocalEmbeddings } from '../src/embeddings/local-embeddings.ts';
import { FIT_TOPICS, loadTopicLabelledSet } from '../src/trending/topic-evaluation.ts';
import { findTopicProfile } from '../src/trending/topic-evidence.ts';
import { TOPIC_MODEL_PATH } from '../src/trending/topic-model.ts';
import {
  type CutQuality,
  type CutRule,
  F1_RULE,
  fitTopicModel,
  leaveOneTopicOut,
  PROBABILITY_CUT,
  PROBABILITY_RULE,
  RECALL_RULE,
  type TopicExample,
  topicModelText,
} from '../src/trending/topic-model-fit.ts';
import { TOPIC_SIGNALS, WORD_SIGNALS } from '../src/trending/topic-signals.ts';

const { values } = parseArgs({ options: { check: { type: 'boolean' }, embeddings: { type: 'boolean' } } });
const set = loadTopicLabelledSet(join(PACKAGE_ROOT, 'tests', 'fixtures', 'topics'));
/** Adds the dense similarity signals to the examples (in place); returns their names. */
async function addDenseSignals(profiled: TopicExample[], free: TopicExample[]): Promise<string[]> {
  const embeddings = new LocalEmbeddings();
  const titles = await embeddings.embedDocuments(set.papers.map((paper) => paper.title));
  const abstracts = await embeddings.embedDocuments(set.papers.map((paper) => paper.abstract));
  const dot = (left: number[], right: number[]) =>
    left.reduce((sum, value, k) => sum + value * (right[k] ?? 0), 0);
  const centroid = (vectors: number[][]) => {
    const sum = (vectors[0] ?? []).map((_, k) =>
      vectors.reduce((total, vector) => total + (vector[k] ?? 0), 0),
    );
    const norm = Math.sqrt(dot(sum, sum)) || 1;
    return sum.map((value) => value / norm);
  };
  const everything = centroid(abstracts);
  for (const [examples, describe] of [
    [profiled, (topic: string) => findTopicProfile(topic)?.description ?? topic],
    [free, (topic: string) => topic],
  ] as const) {
    for (const topic of FIT_TOPICS) {
      const rows = examples.filter((example) => example.topic === topic);
      const target = await embeddings.embedQuery(describe(topic));
      const seeds = rows
        .map((row, index) => ({ index, evidence: row.signals.evidence ?? 0 }))
        .sort((left, right) => right.evidence - left.evidence || left.index - right.index)
        .slice(0, 8)
        .map(({ index }) => abstracts[index] as number[]);
      const seedCentre = centroid(seeds);
      rows.forEach((row, index) => {
        const title = titles[index] as number[];
        const abstract = abstracts[index] as number[];
        row.signals.titleSimilarity = dot(title, target);
        row.signals.abstractSimilarity = dot(abstract, target);
        row.signals.seedSimilarity = dot(abstract, seedCentre) - dot(abstract, everything);
      });
    }
  }
  return ['titleSimilarity', 'abstractSimilarity', 'seedSimilarity'];
}

const fmt = (quality: CutQuality) =>
  `P ${quality.precision.toFixed(3)} R ${quality.recall.toFixed(3)} kept ${String(quality.kept).padStart(3)}`;

function report(
  name: string,
  examples: TopicExample[],
  rule: CutRule,
  base: readonly string[],
  measuredOnly: readonly string[],
): void {
  const held = (signals: string[]) => rule.choose(leaveOneTopicOut(examples, signals));
  const objective = (signals: string[]) => rule.objective(held(signals));
  const line = (label: string, signals: string[], change?: number, note = '') =>
    console.log(
      `  ${label.padEnd(34)} ${fmt(held(signals))}  objective ${objective(signals).toFixed(3)}${
        change === undefined ? '' : `  ${change >= 0 ? '+' : ''}${change.toFixed(3)}`
      }${note}`,
    );
  const others = TOPIC_SIGNALS.filter((signal) => !base.includes(signal));
  const start = base.join(' + ');
  console.log(`\n${name}: leave-one-topic-out over the 5 FIT topics (${examples.length} pairs)`);
  const reference = objective([...base]);
  line(`${start}`, [...base]);
  for (const signal of [...others, ...measuredOnly]) {
    const signals = [...base, signal];
    const note = measuredOnly.includes(signal) ? '  (measured only)' : '';
    line(`+ ${signal}`, signals, objective(signals) - reference, note);
  }
  if (base.length > 1) {
    for (const signal of base) {
      const signals = base.filter((other) => other !== signal);
      line(`- ${signal}`, signals, objective(signals) - reference);
    }
  }
  line('all signals', [...TOPIC_SIGNALS]);
}

const fitted = fitTopicModel(set, FIT_TOPICS);
const dense = values.embeddings
  ? await addDenseSignals(fitted.profile.examples, fitted.freeText.examples)
  : [];
report(
  'known topics (cut: recall >= 0.8; objective: precision)',
  fitted.profile.examples,
  RECALL_RULE,
  ['evidence'],
  dense,
);
report(
  `free text (cut: probability ${PROBABILITY_CUT}; objective: F1 there)`,
  fitted.freeText.examples,
  PROBABILITY_RULE,
  WORD_SIGNALS,
  dense,
);
console.log('\nfree text before (evidence with expansion, cut and objective: best F1)');
console.log(`  evidence ${fmt(F1_RULE.choose(leaveOneTopicOut(fitted.freeText.examples, ['evidence'])))}`);
for (const [name, part] of [
  ['known topics', fitted.profile],
  ['free text', fitted.freeText],
] as const) {
  for (const step of part.steps) {
    console.log(`${name} selected: ${step.signals.join(' + ').padEnd(20)} ${fmt(step.quality)}`);
  }
}
const { model } = fitted;
console.log(`\nknown topics: ${JSON.stringify(model.profile)}  held out ${fmt(fitted.profile.heldOut)}`);
console.log(`free text:    ${JSON.stringify(model.freeText)}  held out ${fmt(fitted.freeText.heldOut)}`);

const text = topicModelText(model);
if (values.check) {
  const committed = readFileSync(TOPIC_MODEL_PATH, 'utf8');
  if (committed !== text) {
    console.error(`${TOPIC_MODEL_PATH} differs from a refit: run this script without --check and commit.`);
    process.exit(1);
  }
  console.log(`${TOPIC_MODEL_PATH} matches the refit.`);
} else {
  writeFileSync(TOPIC_MODEL_PATH, text);
  console.log(`wrote ${TOPIC_MODEL_PATH}`);
}
