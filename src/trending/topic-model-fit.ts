import type { TopicLabelledSet } from './topic-evaluation.ts';
import { topicSignalsOf } from './topic-filter.ts';
import type { TopicLogistic, TopicModel } from './topic-model.ts';
import { TOPIC_SIGNALS, type TopicSignal, WORD_SIGNALS } from './topic-signals.ts';

/** One judged (topic, paper) pair with the paper's signals for that topic. */
export interface TopicExample {
  /** The topic text, as typed. */
  topic: string;
  /** The judged paper. */
  paperId: string;
  /** Judged on the topic. */
  on: boolean;
  /** Every signal of `TOPIC_SIGNALS`, and any the fit script adds for measurement. */
  signals: Record<string, number>;
}

/** A held-out probability next to its label. */
export interface Prediction {
  /** The held-out topic. */
  topic: string;
  /** The probability from the model fitted without that topic. */
  probability: number;
  /** Judged on the topic. */
  on: boolean;
}

/** Kept-set quality at one cut. */
export interface CutQuality {
  /** Papers with at least this probability are kept. */
  cut: number;
  /** Share of the kept that are on (1 when none are kept). */
  precision: number;
  /** Share of the on that are kept (1 when none are on). */
  recall: number;
  /** How many are kept. */
  kept: number;
}

/** L2 penalty on the weights (not the intercept); the signals are all of order 1. */
export const TOPIC_L2 = 1;
/** A signal joins the model only when it raises its part's held-out objective by this much. */
export const MIN_OBJECTIVE_GAIN = 0.02;
/** Pooled recall the cut of a known topic must keep under leave-one-topic-out. */
export const TARGET_RECALL = 0.8;

/** Every (topic, paper) of `topics` with its signals (`topicSignalsOf` over the whole set). */
export function topicExamples(
  set: TopicLabelledSet,
  topics: readonly string[],
  options: { freeText?: boolean } = {},
): TopicExample[] {
  return topics.flatMap((topic) => {
    const { signals } = topicSignalsOf(set.papers, topic, options);
    const on = set.onTopic.get(topic) ?? new Set<string>();
    return set.papers.map((paper, index) => ({
      topic,
      paperId: paper.id,
      on: on.has(paper.id),
      signals: { ...signals[index] },
    }));
  });
}

/** Solves `matrix · x = vector` by Gaussian elimination with partial pivoting. */
function solve(matrix: number[][], vector: number[]): number[] {
  const size = vector.length;
  const rows = matrix.map((row, index) => [...row, vector[index] ?? 0]);
  for (let column = 0; column < size; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < size; row += 1) {
      if (Math.abs(rows[row]?.[column] ?? 0) > Math.abs(rows[pivot]?.[column] ?? 0)) pivot = row;
    }
    [rows[column], rows[pivot]] = [rows[pivot] as number[], rows[column] as number[]];
    const head = rows[column] as number[];
    for (let row = 0; row < size; row += 1) {
      const current = rows[row] as number[];
      if (row === column) continue;
      const factor = (current[column] ?? 0) / (head[column] ?? 1);
      for (let k = column; k <= size; k += 1) current[k] = (current[k] ?? 0) - factor * (head[k] ?? 0);
    }
  }
  return rows.map((row, index) => (row[size] ?? 0) / (row[index] ?? 1));
}

/**
 * L2-penalised logistic regression by Newton's method (deterministic: same data, same weights).
 * Returns the intercept first, then one weight per column.
 */
export function fitLogistic(
  features: readonly number[][],
  labels: readonly boolean[],
  l2 = TOPIC_L2,
): number[] {
  const size = (features[0]?.length ?? 0) + 1;
  let weights = new Array<number>(size).fill(0);
  for (let iteration = 0; iteration < 100; iteration += 1) {
    const gradient = new Array<number>(size).fill(0);
    const hessian = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    features.forEach((row, index) => {
      const x = [1, ...row];
      const z = x.reduce((sum, value, k) => sum + value * (weights[k] ?? 0), 0);
      const p = 1 / (1 + Math.exp(-z));
      const error = p - (labels[index] ? 1 : 0);
      for (let a = 0; a < size; a += 1) {
        gradient[a] = (gradient[a] ?? 0) + error * (x[a] ?? 0);
        const line = hessian[a] as number[];
        for (let b = 0; b < size; b += 1) line[b] = (line[b] ?? 0) + p * (1 - p) * (x[a] ?? 0) * (x[b] ?? 0);
      }
    });
    for (let a = 0; a < size; a += 1) {
      const line = hessian[a] as number[];
      const penalty = a === 0 ? 1e-6 : l2;
      gradient[a] = (gradient[a] ?? 0) + (a === 0 ? 0 : l2 * (weights[a] ?? 0));
      line[a] = (line[a] ?? 0) + penalty;
    }
    const step = solve(hessian, gradient);
    weights = weights.map((value, k) => value - (step[k] ?? 0));
    if (Math.max(...step.map(Math.abs)) < 1e-10) break;
  }
  return weights;
}

const columns = (example: TopicExample, signals: readonly string[]) =>
  signals.map((signal) => example.signals[signal] ?? 0);

function probability(weights: readonly number[], row: readonly number[]): number {
  const z = row.reduce((sum, value, k) => sum + value * (weights[k + 1] ?? 0), weights[0] ?? 0);
  return 1 / (1 + Math.exp(-z));
}

/** Each topic's probabilities from a model fitted on the other topics. */
export function leaveOneTopicOut(
  examples: readonly TopicExample[],
  signals: readonly string[],
): Prediction[] {
  const topics = [...new Set(examples.map((example) => example.topic))];
  return topics.flatMap((topic) => {
    const train = examples.filter((example) => example.topic !== topic);
    const weights = fitLogistic(
      train.map((example) => columns(example, signals)),
      train.map((example) => example.on),
    );
    return examples
      .filter((example) => example.topic === topic)
      .map((example) => ({
        topic,
        probability: probability(weights, columns(example, signals)),
        on: example.on,
      }));
  });
}

/** Precision, recall and size of what a cut keeps (probability >= cut), pooled. */
export function qualityAt(predictions: readonly Prediction[], cut: number): CutQuality {
  const kept = predictions.filter((prediction) => prediction.probability >= cut);
  const hits = kept.filter((prediction) => prediction.on).length;
  const on = predictions.filter((prediction) => prediction.on).length;
  return {
    cut,
    precision: kept.length === 0 ? 1 : hits / kept.length,
    recall: on === 0 ? 1 : hits / on,
    kept: kept.length,
  };
}

/** The highest cut whose pooled recall reaches `recall`. */
export function cutForRecall(predictions: readonly Prediction[], recall = TARGET_RECALL): CutQuality {
  const sorted = [...predictions].sort((left, right) => right.probability - left.probability);
  for (const prediction of sorted) {
    const quality = qualityAt(predictions, prediction.probability);
    if (quality.recall >= recall) return quality;
  }
  return qualityAt(predictions, 0);
}

/** The cut with the best F1 (the first such, from the top). */
export function cutForF1(predictions: readonly Prediction[]): CutQuality {
  let best = qualityAt(predictions, 1);
  let bestF1 = -1;
  const cuts = [...new Set(predictions.map((prediction) => prediction.probability))].sort((a, b) => b - a);
  for (const cut of cuts) {
    const quality = qualityAt(predictions, cut);
    const score = f1(quality);
    if (score > bestF1) {
      bestF1 = score;
      best = quality;
    }
  }
  return best;
}

const f1 = (quality: CutQuality) =>
  (2 * quality.precision * quality.recall) / (quality.precision + quality.recall || 1);

/** How a part's cut is chosen on held-out predictions, and what signal selection maximises. */
export interface CutRule {
  /** The cut for pooled held-out predictions, with what it keeps. */
  choose(predictions: Prediction[]): CutQuality;
  /** What signal selection maximises at that cut. */
  objective(quality: CutQuality): number;
}

/** Known topics: the highest cut with pooled recall >= 0.8; selection maximises precision there. */
export const RECALL_RULE: CutRule = {
  choose: (predictions) => cutForRecall(predictions),
  objective: (quality) => quality.precision,
};

/** Free text (which reaches recall 0.8 only at a useless precision): the best F1, maximised. */
export const F1_RULE: CutRule = { choose: cutForF1, objective: f1 };

/** The free-text cut: a paper is kept when the fitted probability says it is more likely on than off. */
export const PROBABILITY_CUT = 0.5;

/** Free text: the cut at probability `PROBABILITY_CUT` (not searched); F1 there for comparisons. */
export const PROBABILITY_RULE: CutRule = {
  choose: (predictions) => qualityAt(predictions, PROBABILITY_CUT),
  objective: f1,
};

/** One step of the signal selection, for the fit script's table. */
export interface SelectionStep {
  /** The signals chosen so far. */
  signals: TopicSignal[];
  /** Their held-out quality at the rule's cut. */
  quality: CutQuality;
}

/**
 * Forward selection under leave-one-topic-out: start from `evidence`, add the signal that raises
 * the rule's objective at its cut most, while that gain is at least `MIN_OBJECTIVE_GAIN`.
 */
export function selectSignals(
  examples: readonly TopicExample[],
  candidates: readonly TopicSignal[],
  rule: CutRule = RECALL_RULE,
): SelectionStep[] {
  let selected: TopicSignal[] = ['evidence'];
  const steps: SelectionStep[] = [
    { signals: selected, quality: rule.choose(leaveOneTopicOut(examples, selected)) },
  ];
  for (;;) {
    const current = rule.objective(steps.at(-1)?.quality ?? qualityAt([], 1));
    const tried = candidates
      .filter((signal) => !selected.includes(signal))
      .map((signal) => {
        const signals = [...selected, signal];
        return { signals, quality: rule.choose(leaveOneTopicOut(examples, signals)) };
      })
      .sort((left, right) => rule.objective(right.quality) - rule.objective(left.quality));
    const best = tried[0];
    if (!best || rule.objective(best.quality) - current < MIN_OBJECTIVE_GAIN) return steps;
    selected = best.signals;
    steps.push(best);
  }
}

/** The model on `signals` fitted on all `examples`, with the cut chosen by `rule` under leave-one-topic-out. */
export function fitTopicLogistic(
  examples: readonly TopicExample[],
  signals: readonly TopicSignal[],
  rule: CutRule,
): { model: TopicLogistic; heldOut: CutQuality } {
  const heldOut = rule.choose(leaveOneTopicOut(examples, signals));
  const [intercept = 0, ...weights] = fitLogistic(
    examples.map((example) => columns(example, signals)),
    examples.map((example) => example.on),
  );
  const round = (value: number) => Number(value.toFixed(6));
  return {
    model: {
      signals: [...signals],
      weights: weights.map(round),
      intercept: round(intercept),
      cut: round(heldOut.cut),
    },
    heldOut,
  };
}

/** Signals forward selection may add to `evidence` for known topics (the phrase-evidence ones). */
export const PROFILE_CANDIDATES: readonly TopicSignal[] = TOPIC_SIGNALS.filter(
  (signal) => !(WORD_SIGNALS as readonly string[]).includes(signal),
);

/**
 * The whole fit of `index/topic-model.json` from the FIT topics of the labelled set: known topics
 * by forward selection from `evidence` (cut: held-out recall 0.8); free text on `WORD_SIGNALS`
 * (cut: probability 0.5).
 */
export function fitTopicModel(
  set: TopicLabelledSet,
  fitTopics: readonly string[],
): {
  model: TopicModel;
  /** Per part, the selection steps and the chosen model's held-out quality at its cut. */
  profile: { steps: SelectionStep[]; heldOut: CutQuality; examples: TopicExample[] };
  freeText: { steps: SelectionStep[]; heldOut: CutQuality; examples: TopicExample[] };
} {
  const profileExamples = topicExamples(set, fitTopics);
  const steps = selectSignals(profileExamples, PROFILE_CANDIDATES, RECALL_RULE);
  const profile = {
    steps,
    examples: profileExamples,
    ...fitTopicLogistic(profileExamples, steps.at(-1)?.signals ?? ['evidence'], RECALL_RULE),
  };
  // Free text: the topic's own words, fixed by design (see README "Topic filter"), no selection.
  const freeExamples = topicExamples(set, fitTopics, { freeText: true });
  const freeFit = fitTopicLogistic(freeExamples, WORD_SIGNALS, PROBABILITY_RULE);
  const freeText = {
    steps: [{ signals: [...WORD_SIGNALS], quality: freeFit.heldOut }],
    examples: freeExamples,
    ...freeFit,
  };
  return {
    model: {
      note: 'Written by scripts/fit-topic-filter.ts from the FIT topics of tests/fixtures/topics/ (do not edit).',
      profile: profile.model,
      freeText: freeText.model,
    },
    profile,
    freeText,
  };
}

/** The text of `index/topic-model.json` for a model. */
export function topicModelText(model: TopicModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
