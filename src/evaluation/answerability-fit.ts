import { join } from 'node:path';
import {
  answerabilityFeatures,
  DENSE_FEATURES,
  FEATURE_NAMES,
  type FeatureContext,
  type FeatureName,
  type Features,
} from '../answering/answerability-features.ts';
import {
  type AnswerabilityModel,
  fitLogistic,
  predict,
  type TrainingExample,
} from '../answering/answerability-model.ts';
import type { Retriever } from '../retrieval/types.ts';
import { loadBeir, readQueries } from './beir.ts';

/**
 * Sets the committed parameters are fitted on (under `tests/fixtures/eval/`): every set the team
 * wrote before this fit. Until 2026-11-30 only seed-dev and team-a..c were fitted on; with thirteen
 * sets, the clipped features and the known-phrase signal, fitting on all of them raised the held-out AUC of the four newest sets (leave-one-set-out, `--cv --pool`:
 * 0.877 against 0.866) and lowered false declines at the same flagged share (`--grid`).
 */
export const FIT_SETS = [
  'seed-dev',
  'team-a',
  'team-b',
  'team-c',
  'team-d',
  'team-e',
  'team-f',
  'team-g',
  'team-h',
  'team-i',
  'team-j',
  'team-k',
  'team-l',
];

/**
 * Every evaluation set the team may study, with floors in `tests/fixtures/eval/measured.json`: the
 * fit sets, and `team-m` and `team-n`, the blind report sets of the 2026-11-30 fit (written by a
 * helper from the abstracts alone, run once on the frozen score, development sets since), and
 * `team-o` and `team-p`, the same for the last change of that session (a shouted stopword is no name),
 * and `team-q` and `team-r`, the blind report sets of the fourth session's signals (`halvesTop3`,
 * `typeMissingOnTopic`), `team-s` and `team-t`, those of its chat and clause changes, and `team-u`,
 * that of its final code.
 */
export const EVAL_SETS = [
  ...FIT_SETS,
  'team-m',
  'team-n',
  'team-o',
  'team-p',
  'team-q',
  'team-r',
  'team-s',
  'team-t',
  'team-u',
];

/** Written negatives (off-domain, near-domain and detail questions), training only. */
export const TRAINING_NEGATIVES = 'training/negatives.jsonl';

/** Weight of a leave-one-out near-miss negative: some are still answerable by unjudged papers. */
export const NEAR_MISS_WEIGHT = 0.25;

/**
 * Share of the training set's answerable questions allowed below each threshold, chosen by
 * leave-one-set-out cross-validation over the thirteen fit sets, measured through the bot
 * (`npm run fit-answerability -- --grid`): the only pair of the grid whose held-out sets together
 * meet the bar (>= 90% of unanswerable questions declined or uncertain, <= 5% of answerable
 * declined, <= 25% uncertain): 250/275 flagged, 21/465 declined, 112/465 uncertain. Lower answer
 * quantiles flag fewer (0.25: 247/275), higher ones hedge more (0.30: 119/465). Kept, not re-chosen,
 * in the fourth session: with its signals the thirteen held out give 255/275, 13/465 and 117/465
 * (uncertain one question over the bar), and all twenty-two sets pooled meet it.
 */
export const THRESHOLD_QUANTILES = { decline: 0.03, answer: 0.28 };

/** One labelled example with the set it came from, for fitting and cross-validation. */
export interface LabelledExample extends TrainingExample {
  set: string;
  kind: 'answerable' | 'unanswerable' | 'near-miss' | 'written-negative';
  id: string;
}

/**
 * Builds the training examples of the given sets: answerable questions (label 1), their
 * unanswerable questions, leave-one-out near misses (the same question with every judged paper
 * hidden from the hits) and the written negatives (label 0).
 */
export async function collectExamples(options: {
  evalDir: string;
  sets: string[];
  retriever: Retriever;
  context: FeatureContext;
  mode: 'hybrid' | 'lexical';
  withWrittenNegatives?: boolean;
}): Promise<LabelledExample[]> {
  const { retriever, context, mode } = options;
  const examples: LabelledExample[] = [];
  const features = async (text: string, hide: Set<string> = new Set()): Promise<Features> => {
    const hits = (await retriever.search(text, { k: 10 + hide.size, mode }))
      .filter((hit) => !hide.has(hit.paper.id))
      .slice(0, 10);
    return answerabilityFeatures(text, hits, context);
  };
  for (const set of options.sets) {
    const dir = join(options.evalDir, set);
    const beir = loadBeir(dir);
    for (const query of beir.queries) {
      examples.push({
        set,
        kind: 'answerable',
        id: query.id,
        label: 1,
        weight: 1,
        features: await features(query.text),
      });
      const judged = new Set(beir.qrels.get(query.id)?.keys() ?? []);
      examples.push({
        set,
        kind: 'near-miss',
        id: query.id,
        label: 0,
        weight: NEAR_MISS_WEIGHT,
        features: await features(query.text, judged),
      });
    }
    for (const query of readQueries(join(dir, 'unanswerable.jsonl'))) {
      examples.push({
        set,
        kind: 'unanswerable',
        id: query.id,
        label: 0,
        weight: 1,
        features: await features(query.text),
      });
    }
  }
  if (options.withWrittenNegatives ?? true) {
    for (const query of readQueries(join(options.evalDir, TRAINING_NEGATIVES))) {
      examples.push({
        set: 'training',
        kind: 'written-negative',
        id: query.id,
        label: 0,
        weight: 1,
        features: await features(query.text),
      });
    }
  }
  return examples;
}

/** The value below which at most `share` of the values lie. */
function lowerQuantile(values: number[], share: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  const index = Math.floor(share * sorted.length);
  return sorted[Math.min(index, sorted.length - 1)] ?? 0.5;
}

/**
 * A positive threshold to six significant digits, rounded down: rounding up could lift it over the
 * training value it sits on, and decline or hedge one more answerable question than the quantile allows.
 */
export function roundDown(value: number): number {
  const rounded = Number(value.toPrecision(6));
  if (rounded <= value) return rounded;
  return Number((rounded - 10 ** (Math.floor(Math.log10(value)) - 5)).toPrecision(6));
}

/** Fits a model on examples; thresholds from the answerable questions' probabilities. */
export function fitModel(
  examples: LabelledExample[],
  features: FeatureName[],
  quantiles = THRESHOLD_QUANTILES,
): AnswerabilityModel {
  const fitted = fitLogistic(examples, features);
  const model: AnswerabilityModel = { ...fitted, thresholds: { decline: 0, answer: 0 } };
  const answerable = examples
    .filter((example) => example.kind === 'answerable')
    .map((example) => predict(model, example.features));
  model.thresholds = {
    decline: roundDown(lowerQuantile(answerable, quantiles.decline)),
    answer: roundDown(lowerQuantile(answerable, quantiles.answer)),
  };
  return model;
}

/** Features of the model with embeddings, and of the lexical-only fallback. */
export function featureSets(exclude: FeatureName[] = []): { dense: FeatureName[]; lexical: FeatureName[] } {
  const dense = FEATURE_NAMES.filter((name) => !exclude.includes(name));
  return { dense, lexical: dense.filter((name) => !DENSE_FEATURES.includes(name)) };
}
