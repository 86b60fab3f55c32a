import { existsSync, readFileSync } from 'node:fs';
import { PaperbotError } from '../errors.ts';
import { FEATURE_NAMES, type FeatureName, type Features } from './answerability-features.ts';

/** A fitted logistic regression over named features, with the two thresholds of the three outcomes. */
export interface AnswerabilityModel {
  /** Features used, in order. */
  features: FeatureName[];
  /** Mean of each feature on the training data (features are standardised before weighting). */
  mean: number[];
  /** Standard deviation of each feature on the training data (1 when constant). */
  scale: number[];
  /** Weight of each standardised feature. */
  weights: number[];
  bias: number;
  /** Below `decline` the answer is declined; from `answer` on it is answered; between, uncertain. */
  thresholds: { decline: number; answer: number };
}

/** Key of the model used without dense retrieval: no embedding model, or one without parameters. */
export const LEXICAL_MODEL_KEY = 'lexical-only';

/** Contents of `index/answerability.json`: one model per embedding model, plus the lexical-only one. */
export interface AnswerabilityParameters {
  version: 1;
  /** How the file was made (the command and the sets). */
  fittedBy: string;
  /** Sets fitted on; the others are report sets. */
  fitSets: string[];
  /** Sets the thresholds were chosen on (not fitted on); absent in files from before them. */
  calibrationSets?: string[];
  /** Keyed by the index manifest's `embeddingModel`, and `lexical-only`. */
  models: Record<string, AnswerabilityModel>;
}

/** The model chosen for an embedding model, and whether it is the lexical-only fallback. */
export interface ChosenModel {
  model: AnswerabilityModel;
  /** Set when the embedding model has no parameters of its own, so dense features are unused. */
  fallback: boolean;
  /** The key of the model chosen. */
  key: string;
}

export function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

/**
 * Standardised features are clipped to this many standard deviations: a question far outside the
 * training range (a one-word question's length, say) moves the score no more than the most extreme
 * training questions did, instead of being extrapolated linearly.
 */
export const FEATURE_CLIP = 3;

/**
 * A feature value standardised with the model's mean and scale and clipped to `FEATURE_CLIP`; a
 * feature a question does not have (`NaN`: bigram shares of a one-word question) is neutral, 0.
 */
export function standardised(value: number, mean: number, scale: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.max(-FEATURE_CLIP, Math.min(FEATURE_CLIP, (value - mean) / scale));
}

/** Calibrated probability (0..1) that the corpus answers the question. */
export function predict(model: AnswerabilityModel, features: Features): number {
  let sum = model.bias;
  model.features.forEach((name, index) => {
    sum += model.weights[index]! * standardised(features[name], model.mean[index]!, model.scale[index]!);
  });
  return sigmoid(sum);
}

/** `answered`, `uncertain` or `declined` for a probability. */
export function outcomeOf(
  model: AnswerabilityModel,
  probability: number,
): 'answered' | 'uncertain' | 'declined' {
  if (probability < model.thresholds.decline) return 'declined';
  return probability >= model.thresholds.answer ? 'answered' : 'uncertain';
}

/** Reads and checks an answerability parameter file. */
export function readAnswerabilityParameters(path: string): AnswerabilityParameters {
  if (!existsSync(path)) {
    throw new PaperbotError(
      'ANSWERABILITY_MISSING',
      `Answerability parameters ${path} not found. Refit them with \`npm run fit-answerability\`.`,
    );
  }
  let parsed: AnswerabilityParameters;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as AnswerabilityParameters;
  } catch (error) {
    throw new PaperbotError(
      'ANSWERABILITY_INVALID',
      `Answerability parameters ${path} are not valid JSON (${(error as Error).message}). Refit them with \`npm run fit-answerability\`.`,
    );
  }
  const known = new Set<string>(FEATURE_NAMES);
  for (const [key, model] of Object.entries(parsed.models ?? {})) {
    const size = model.features?.length ?? -1;
    const bad =
      size < 0 ||
      model.features.some((name) => !known.has(name)) ||
      [model.mean, model.scale, model.weights].some((list) => !Array.isArray(list) || list.length !== size) ||
      typeof model.bias !== 'number' ||
      !(model.thresholds?.decline <= model.thresholds?.answer);
    if (bad) {
      throw new PaperbotError(
        'ANSWERABILITY_INVALID',
        `Answerability model "${key}" in ${path} is malformed (features, mean, scale, weights, bias, thresholds). Refit it with \`npm run fit-answerability\`.`,
      );
    }
  }
  if (!parsed.models?.[LEXICAL_MODEL_KEY]) {
    throw new PaperbotError(
      'ANSWERABILITY_INVALID',
      `${path} has no "${LEXICAL_MODEL_KEY}" model, the fallback for embedding models without parameters.`,
    );
  }
  return parsed;
}

/** The parameters for an embedding model, or the lexical-only fallback when it has none. */
export function chooseModel(
  parameters: AnswerabilityParameters,
  embeddingModel: string | undefined,
): ChosenModel {
  const own = embeddingModel ? parameters.models[embeddingModel] : undefined;
  if (own) return { model: own, fallback: false, key: embeddingModel! };
  return { model: parameters.models[LEXICAL_MODEL_KEY]!, fallback: true, key: LEXICAL_MODEL_KEY };
}

/** One training example: features, label (1 answerable) and weight. */
export interface TrainingExample {
  features: Features;
  label: 0 | 1;
  weight: number;
}

/** Solves `matrix × x = vector` by Gaussian elimination with partial pivoting (small, dense systems). */
function solve(matrix: number[][], vector: number[]): number[] {
  const size = vector.length;
  const rows = matrix.map((row, index) => [...row, vector[index]!]);
  for (let column = 0; column < size; column++) {
    let pivot = column;
    for (let row = column + 1; row < size; row++) {
      if (Math.abs(rows[row]![column]!) > Math.abs(rows[pivot]![column]!)) pivot = row;
    }
    [rows[column], rows[pivot]] = [rows[pivot]!, rows[column]!];
    const head = rows[column]!;
    for (let row = column + 1; row < size; row++) {
      const factor = rows[row]![column]! / head[column]!;
      for (let index = column; index <= size; index++) rows[row]![index]! -= factor * head[index]!;
    }
  }
  const result = new Array<number>(size).fill(0);
  for (let row = size - 1; row >= 0; row--) {
    let sum = rows[row]![size]!;
    for (let column = row + 1; column < size; column++) sum -= rows[row]![column]! * result[column]!;
    result[row] = sum / rows[row]![row]!;
  }
  return result;
}

const round = (value: number) => Number(value.toPrecision(6));

/**
 * Fits an L2-regularised logistic regression by Newton's method (fixed iterations, no randomness:
 * the same examples always give the same parameters). Thresholds are set afterwards.
 */
export function fitLogistic(
  examples: TrainingExample[],
  features: FeatureName[],
  options: { l2?: number; iterations?: number } = {},
): Omit<AnswerabilityModel, 'thresholds'> {
  const l2 = options.l2 ?? 1;
  const count = features.length;
  // Mean and scale over the examples that have the feature (a missing one is NaN).
  const having = (name: FeatureName) => examples.filter((example) => !Number.isNaN(example.features[name]));
  const mean = features.map((name) => {
    const present = having(name);
    const total = present.reduce((sum, example) => sum + example.weight, 0);
    return total > 0
      ? present.reduce((sum, example) => sum + example.weight * example.features[name], 0) / total
      : 0;
  });
  const scale = features.map((name, index) => {
    const present = having(name);
    const total = present.reduce((sum, example) => sum + example.weight, 0);
    const variance =
      total > 0
        ? present.reduce(
            (sum, example) => sum + example.weight * (example.features[name] - mean[index]!) ** 2,
            0,
          ) / total
        : 0;
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  const rows = examples.map((example) => [
    1,
    ...features.map((name, index) =>
      standardised(example.features[name], round(mean[index]!), round(scale[index]!)),
    ),
  ]);
  let beta = new Array<number>(count + 1).fill(0);
  for (let iteration = 0; iteration < (options.iterations ?? 30); iteration++) {
    const gradient = new Array<number>(count + 1).fill(0);
    const hessian = Array.from({ length: count + 1 }, () => new Array<number>(count + 1).fill(0));
    rows.forEach((row, exampleIndex) => {
      const { label, weight } = examples[exampleIndex]!;
      const p = sigmoid(row.reduce((sum, value, index) => sum + value * beta[index]!, 0));
      const curvature = weight * Math.max(p * (1 - p), 1e-9);
      for (let i = 0; i <= count; i++) {
        gradient[i]! += weight * (p - label) * row[i]!;
        for (let j = 0; j <= count; j++) hessian[i]![j]! += curvature * row[i]! * row[j]!;
      }
    });
    for (let i = 1; i <= count; i++) {
      gradient[i]! += l2 * beta[i]!;
      hessian[i]![i]! += l2;
    }
    const step = solve(hessian, gradient);
    beta = beta.map((value, index) => value - step[index]!);
  }
  return {
    features,
    mean: mean.map(round),
    scale: scale.map(round),
    weights: beta.slice(1).map(round),
    bias: round(beta[0]!),
  };
}
