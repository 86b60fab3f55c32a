/**
 * Fits the answerability score from committed data and writes `index/answerability.json`:
 *
 *   npm run fit-answerability            # fit and write
 *   npm run fit-answerability -- --check # refit and compare with the committed file (exit 1 if different)
 *   npm run fit-answerability -- --ablation [--sets team-d,...]
 *                                        # fit on the fit sets, and per set given, measure the model
 *                                        # and the model without each signal group
 *   npm run fit-answerability -- --cv    # leave-one-fit-set-out on the fit sets only
 *
 * Deterministic: the same corpus, index and sets always give the same parameters.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { FeatureName } from '../src/answering/answerability-features.ts';
import {
  type AnswerabilityParameters,
  LEXICAL_MODEL_KEY,
  outcomeOf,
  predict,
} from '../src/answering/answerability-model.ts';
import { loadConfig } from '../src/config/config.ts';
import { PACKAGE_ROOT } from '../src/corpus/bundled.ts';
import { createEmbeddings } from '../src/embeddings/create-embeddings.ts';
import {
  collectExamples,
  FIT_SETS,
  featureSets,
  fitModel,
  type LabelledExample,
} from '../src/evaluation/answerability-fit.ts';
import { HybridRetriever } from '../src/retrieval/hybrid-retriever.ts';
import { PaperIndex } from '../src/retrieval/paper-index.ts';

const EVAL_DIR = join(PACKAGE_ROOT, 'tests', 'fixtures', 'eval');
export const PARAMETERS_PATH = join(PACKAGE_ROOT, 'index', 'answerability.json');

/** Signal groups measured by the ablation. */
const GROUPS: Record<string, FeatureName[]> = {
  'coverage (top-1/top-3)': ['coverageTop1', 'coverageTop3'],
  'absent share + absent name': ['absentShare', 'absentName'],
  'bigrams (paper)': ['bigramTop1'],
  'BM25 over max + gap': ['bm25OverMax', 'lexicalGap'],
  'cosine + agreement': ['cosineBest', 'cosineTop1', 'cosineGap', 'agreement'],
  'sentence coverage + bigrams': ['sentenceCoverage', 'sentenceBigrams'],
  'focus held': ['focusHeld'],
  'answer type': ['answerTypeMissing'],
  length: ['length'],
};

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    ablation: { type: 'boolean', default: false },
    cv: { type: 'boolean', default: false },
    sets: { type: 'string' },
  },
});

const config = loadConfig({ PAPERBOT_EMBEDDINGS: 'local' });
const embeddings = await createEmbeddings(config);
const index = await PaperIndex.open(config.indexDir, embeddings);
const retriever = new HybridRetriever(index, { embedTimeoutMs: 60_000 });
const context = {
  weight: (term: string) => index.idf(term),
  isKnownTerm: (term: string) => index.documentFrequency(term) > 0,
};
const modelKey = index.manifest?.embeddingModel ?? embeddings.modelId;

async function examplesOf(
  sets: string[],
  mode: 'hybrid' | 'lexical',
  written = true,
): Promise<LabelledExample[]> {
  return collectExamples({
    evalDir: EVAL_DIR,
    sets,
    retriever,
    context,
    mode,
    withWrittenNegatives: written,
  });
}

/** AUC of answerable vs unanswerable questions, and the three outcomes' shares. */
function measure(model: ReturnType<typeof fitModel>, examples: LabelledExample[]) {
  const answerable = examples.filter((example) => example.kind === 'answerable');
  const unanswerable = examples.filter((example) => example.kind === 'unanswerable');
  const pAnswerable = answerable.map((example) => predict(model, example.features));
  const pUnanswerable = unanswerable.map((example) => predict(model, example.features));
  let pairs = 0;
  let wins = 0;
  for (const positive of pAnswerable) {
    for (const negative of pUnanswerable) {
      pairs++;
      wins += positive > negative ? 1 : positive === negative ? 0.5 : 0;
    }
  }
  const outcomes = (ps: number[], outcome: string) =>
    ps.filter((p) => outcomeOf(model, p) === outcome).length;
  return {
    auc: pairs ? wins / pairs : Number.NaN,
    answerableDeclined: `${outcomes(pAnswerable, 'declined')}/${answerable.length}`,
    answerableUncertain: `${outcomes(pAnswerable, 'uncertain')}/${answerable.length}`,
    unanswerableFlagged: `${unanswerable.length - outcomes(pUnanswerable, 'answered')}/${unanswerable.length}`,
    unanswerableDeclined: `${outcomes(pUnanswerable, 'declined')}/${unanswerable.length}`,
  };
}

const training = await examplesOf(FIT_SETS, 'hybrid');
if (values.cv || values.ablation) {
  const rows: string[] = [];
  const targets = values.cv ? FIT_SETS : (values.sets ?? 'team-d').split(',');
  for (const target of targets) {
    const fit = values.cv ? training.filter((example) => example.set !== target) : training;
    const test = values.cv
      ? training.filter((example) => example.set === target)
      : await examplesOf([target], 'hybrid', false);
    for (const [group, removed] of [
      ['(all signals)', []] as [string, FeatureName[]],
      ...Object.entries(GROUPS),
    ]) {
      const model = fitModel(fit, featureSets(removed).dense);
      const result = measure(model, test);
      rows.push(
        `| ${target} | ${group === '(all signals)' ? group : `without ${group}`} | ${result.auc.toFixed(3)} | ${result.unanswerableFlagged} | ${result.unanswerableDeclined} | ${result.answerableDeclined} | ${result.answerableUncertain} |`,
      );
    }
  }
  console.log(
    '| set | model | AUC | unanswerable declined or uncertain | unanswerable declined | answerable declined | answerable uncertain |',
  );
  console.log('|---|---|---|---|---|---|---|');
  console.log(rows.join('\n'));
} else {
  const lexicalTraining = await examplesOf(FIT_SETS, 'lexical');
  const { dense, lexical } = featureSets();
  const parameters: AnswerabilityParameters = {
    version: 1,
    fittedBy: 'npm run fit-answerability (scripts/fit-answerability.ts)',
    fitSets: [...FIT_SETS, 'training/negatives.jsonl', 'leave-one-out near misses of the fit sets'],
    models: {
      [modelKey]: fitModel(training, dense),
      [LEXICAL_MODEL_KEY]: fitModel(lexicalTraining, lexical),
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
      console.log(key, JSON.stringify(measure(model, examples)), JSON.stringify(model.thresholds));
    }
    console.log(`wrote ${PARAMETERS_PATH}`);
  }
}
