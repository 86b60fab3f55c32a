/**
 * Fits the answerability score from committed data and writes `index/answerability.json`:
 *
 *   npm run fit-answerability            # fit on the fit sets, calibrate the thresholds, write
 *   npm run fit-answerability -- --check # refit and compare with the committed file (exit 1 if different)
 *   npm run fit-answerability -- --cv    # leave-one-set-out over every evaluation set, through the bot
 *   npm run fit-answerability -- --grid  # the same for a grid of threshold quantiles
 *   npm run fit-answerability -- --ablation  # the same without each signal group
 *   npm run fit-answerability -- --calibrate # the same, printing every pair of shares it tried
 *
 * `--pool a,b,...` fits the cross-validation folds on those sets only (default: the fit sets);
 * `--quantiles 0.01,0.15` sets the decline and answer quantiles of `--cv` and `--ablation`.
 * Deterministic: the same corpus, index and sets always give the same parameters.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { FeatureContext, FeatureName } from '../src/answering/answerability-features.ts';
import { type AnswerabilityParameters, LEXICAL_MODEL_KEY } from '../src/answering/answerability-model.ts';
import { corpusTerms } from '../src/answering/build-answerer.ts';
import { loadConfig } from '../src/config/config.ts';
import { PACKAGE_ROOT } from '../src/corpus/bundled.ts';
import { createEmbeddings } from '../src/embeddings/create-embeddings.ts';
import {
  aucOf,
  barMargins,
  calibrationGrid,
  DECLINE_SHARES,
  fartherInside,
  leaveOneSetOut,
  meetsBar,
  RESULT_HEADER,
  resultRow,
  totalOf,
} from '../src/evaluation/answerability-cv.ts';
import {
  CALIBRATION_SETS,
  collectExamples,
  EVAL_SETS,
  FIT_SETS,
  featureSets,
  fitModel,
  type LabelledExample,
  THRESHOLD_QUANTILES,
  withQuantiles,
} from '../src/evaluation/answerability-fit.ts';
import { replayThroughBot } from '../src/evaluation/answerability-replay.ts';
import { loadBeir, readQueries } from '../src/evaluation/beir.ts';
import { HybridRetriever } from '../src/retrieval/hybrid-retriever.ts';
import { PaperIndex } from '../src/retrieval/paper-index.ts';
import { openQuestionMemory } from '../src/retrieval/question-memory.ts';
import { memoryReliability } from '../src/retrieval/term-reliability.ts';

const EVAL_DIR = join(PACKAGE_ROOT, 'tests', 'fixtures', 'eval');
export const PARAMETERS_PATH = join(PACKAGE_ROOT, 'index', 'answerability.json');

/** Signal groups measured by the ablation. */
const GROUPS: Record<string, FeatureName[]> = {
  'coverage (top-1/top-3)': ['coverageTop1', 'coverageTop3', 'logCoverageTop3'],
  'log coverage (top-3)': ['logCoverageTop3'],
  'absent share + absent name': ['absentShare', 'absentName'],
  'bigrams (paper)': ['bigramTop1'],
  'known phrases (top-1)': ['knownPairsTop1'],
  'BM25 over max + gap': ['bm25OverMax', 'lexicalGap'],
  'cosine + agreement': ['cosineBest', 'cosineTop1', 'cosineGap', 'agreement'],
  'sentence coverage + bigrams': ['sentenceCoverage', 'sentenceBigrams'],
  'focus held': ['focusHeld'],
  'answer type': ['answerTypeMissing', 'typeMissingOnTopic'],
  'answer type missing on topic': ['typeMissingOnTopic'],
  'halves (top-3)': ['halvesTop3'],
  'names apart (top-3)': ['namesApart'],
  'name missing on topic (top-1)': ['nameMissingOnTopic'],
  'best clause coverage (top-1)': ['clauseCoverageTop1'],
  'question memory (top-1)': ['memoryTop1'],
  length: ['length'],
};

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    ablation: { type: 'boolean', default: false },
    cv: { type: 'boolean', default: false },
    grid: { type: 'boolean', default: false },
    calibrate: { type: 'boolean', default: false },
    pool: { type: 'string' },
    quantiles: { type: 'string' },
  },
});

const config = loadConfig({ PAPERBOT_EMBEDDINGS: 'local' });
const embeddings = await createEmbeddings(config);
const index = await PaperIndex.open(config.indexDir, embeddings);
const memory = await openQuestionMemory({ indexDir: config.indexDir, embeddings });
const retriever = new HybridRetriever(index, { embedTimeoutMs: 60_000, memory });
// Each set's questions are retrieved as `eval` retrieves them: with the set's own judged questions
// left out of the question memory.
// The score weighs each question's words by the same memory's word reliability.
const perSet = new Map<string, { retriever: HybridRetriever; context: FeatureContext }>();
const ofSet = (set: string) => {
  let found = perSet.get(set);
  if (!found) {
    const dir = join(EVAL_DIR, set);
    const texts = [...loadBeir(dir).queries, ...readQueries(join(dir, 'unanswerable.jsonl'))].map(
      (q) => q.text,
    );
    const view = memory.leavingOut([set], texts);
    found = {
      retriever: new HybridRetriever(index, { embedTimeoutMs: 60_000, memory: view }),
      context: corpusTerms(index, memoryReliability(index, view)),
    };
    perSet.set(set, found);
  }
  return found;
};
const retrieverFor = (set: string) => ofSet(set).retriever;
const contextFor = (set: string) => ofSet(set).context;
const context = corpusTerms(index, memoryReliability(index, memory));
const modelKey = index.manifest?.embeddingModel ?? embeddings.modelId;
const mean = (numbers: number[]) => numbers.reduce((sum, value) => sum + value, 0) / numbers.length;

async function examplesOf(sets: string[], mode: 'hybrid' | 'lexical'): Promise<LabelledExample[]> {
  return collectExamples({ evalDir: EVAL_DIR, sets, retriever, retrieverFor, context, contextFor, mode });
}

if (values.cv || values.grid || values.ablation) {
  // Leave-one-set-out over every evaluation set, each measured through the bot as `eval` asks it.
  const examples = await examplesOf(EVAL_SETS, 'hybrid');
  const replayed = await replayThroughBot({
    evalDir: EVAL_DIR,
    sets: EVAL_SETS,
    retriever,
    retrieverFor,
    catalog: index,
    context,
    contextFor,
  });
  const pool = values.pool ? values.pool.split(',') : FIT_SETS;
  const [decline, answer] = (values.quantiles ?? '').split(',').map(Number);
  const quantiles =
    decline !== undefined && answer !== undefined && values.quantiles
      ? { decline, answer }
      : THRESHOLD_QUANTILES;
  const run = (features: FeatureName[], chosen = quantiles, heldOut = EVAL_SETS) =>
    leaveOneSetOut({ examples, replayed, heldOut, pool, features, quantiles: chosen });
  console.log(`Fitted on: ${pool.join(', ')} (the held-out set left out of its fold).`);
  if (values.cv) {
    const results = run(featureSets().dense);
    console.log(`Quantiles: decline ${quantiles.decline}, answer ${quantiles.answer}.\n${RESULT_HEADER}`);
    for (const result of results) console.log(resultRow(result.set, result));
    console.log(resultRow('**all**', { ...totalOf(results), auc: mean(results.map((r) => r.auc)) }));
  }
  if (values.grid) {
    console.log(`${RESULT_HEADER.replace('held out', 'quantiles: decline, answer')} sets meeting the bar |`);
    let chosen: { label: string; margins: number[] } | undefined;
    for (const declineQuantile of DECLINE_SHARES) {
      for (const answerQuantile of [0.2, 0.22, 0.24, 0.25, 0.26, 0.27, 0.28, 0.3]) {
        // Over the pool's sets only: sets outside it (the last report sets) choose nothing.
        const results = run(featureSets().dense, { decline: declineQuantile, answer: answerQuantile }, pool);
        const total = totalOf(results);
        const label = `${declineQuantile}, ${answerQuantile}${meetsBar(total) ? ' (bar met)' : ''}`;
        const meeting = results.filter(meetsBar).length;
        const margins = barMargins(total);
        if (meetsBar(total) && (!chosen || fartherInside(margins, chosen.margins)))
          chosen = { label, margins };
        console.log(
          `${resultRow(label, { ...total, auc: mean(results.map((r) => r.auc)) })} ${meeting}/${results.length} |`,
        );
      }
    }
    console.log(
      chosen
        ? `Farthest inside the bar: ${chosen.label} (margins ${chosen.margins.map((m) => m.toFixed(1)).join(', ')} points).`
        : 'No pair meets the bar.',
    );
  }
  if (values.ablation) {
    console.log(`${RESULT_HEADER.replace('held out', 'signals')} AUC per held-out set |`);
    const all = run(featureSets().dense);
    const baseline = mean(all.map((r) => r.auc));
    const perSet = (results: typeof all) => results.map((r) => r.auc.toFixed(3)).join(' ');
    console.log(`${resultRow('all', { ...totalOf(all), auc: baseline })} ${perSet(all)} |`);
    for (const [group, removed] of Object.entries(GROUPS)) {
      const results = run(featureSets(removed).dense);
      const auc = mean(results.map((r) => r.auc));
      const label = `without ${group} (gain ${(baseline - auc).toFixed(3)})`;
      console.log(`${resultRow(label, { ...totalOf(results), auc })} ${perSet(results)} |`);
    }
  }
} else {
  // Weights fitted on the fit sets; the threshold shares chosen where the calibration sets, asked
  // through the bot under that fit, are farthest inside the bar.
  const training = await examplesOf(FIT_SETS, 'hybrid');
  const lexicalTraining = await examplesOf(FIT_SETS, 'lexical');
  const { dense, lexical } = featureSets();
  const replayed = await replayThroughBot({
    evalDir: EVAL_DIR,
    sets: CALIBRATION_SETS,
    retriever,
    retrieverFor,
    catalog: index,
    context,
    contextFor,
  });
  // Fitted once; the thresholds are set afterwards, so any pair of shares reuses the weights.
  const model = fitModel(training, dense);
  const lexicalModel = fitModel(lexicalTraining, lexical);
  const rows = calibrationGrid({ model, training, lexicalModel, lexicalTraining, replayed });
  const chosen = rows.find((row) => row.chosen)!;
  if (values.calibrate) {
    console.log(`Fitted on: ${FIT_SETS.join(', ')}.\nCalibrated on: ${CALIBRATION_SETS.join(', ')}.`);
    console.log(RESULT_HEADER.replace('held out', 'shares: decline, answer (thresholds)'));
    for (const row of rows) console.log(resultRow(row.label, row.counts));
  }
  const margins = barMargins(chosen.counts).map((margin) => margin.toFixed(1));
  console.log(
    `Threshold shares ${chosen.quantiles.decline}, ${chosen.quantiles.answer}: the calibration sets ${meetsBar(chosen.counts) ? 'farthest inside' : 'least outside'} the bar (margins ${margins.join(', ')} points).\n${RESULT_HEADER}\n${resultRow('calibration sets', chosen.counts)}`,
  );
  if (
    chosen.quantiles.decline !== THRESHOLD_QUANTILES.decline ||
    chosen.quantiles.answer !== THRESHOLD_QUANTILES.answer
  ) {
    console.warn(
      `THRESHOLD_QUANTILES in src/evaluation/answerability-fit.ts (${THRESHOLD_QUANTILES.decline}, ${THRESHOLD_QUANTILES.answer}) is not the calibrated pair: set it to { decline: ${chosen.quantiles.decline}, answer: ${chosen.quantiles.answer} }, the default of --cv, --grid and --ablation.`,
    );
  }
  const parameters: AnswerabilityParameters = {
    version: 1,
    fittedBy: 'npm run fit-answerability (scripts/fit-answerability.ts)',
    fitSets: [...FIT_SETS, 'training/negatives.jsonl', 'leave-one-out near misses of the fit sets'],
    calibrationSets: CALIBRATION_SETS,
    models: {
      [modelKey]: withQuantiles(model, training, chosen.quantiles),
      [LEXICAL_MODEL_KEY]: withQuantiles(lexicalModel, lexicalTraining, chosen.quantiles),
    },
  };
  const text = `${JSON.stringify(parameters, null, 2)}\n`;
  if (values.check) {
    const committed = readFileSync(PARAMETERS_PATH, 'utf8');
    if (committed !== text) {
      console.error(
        `${PARAMETERS_PATH} differs from a refit: run \`npm run fit-answerability\` and commit it.`,
      );
      process.exit(1);
    }
    console.log(`${PARAMETERS_PATH} matches a refit.`);
  } else {
    writeFileSync(PARAMETERS_PATH, text);
    for (const [key, model] of Object.entries(parameters.models)) {
      const examples = key === LEXICAL_MODEL_KEY ? lexicalTraining : training;
      console.log(key, `training AUC ${aucOf(model, examples).toFixed(3)}`, JSON.stringify(model.thresholds));
    }
    console.log(`wrote ${PARAMETERS_PATH}`);
  }
}
