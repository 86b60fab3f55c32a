import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../corpus/bundled.ts';
import { TOPIC_SIGNALS, type TopicSignal } from './topic-signals.ts';

/** Where `scripts/fit-topic-filter.ts` writes the fitted model. */
export const TOPIC_MODEL_PATH = join(PACKAGE_ROOT, 'index', 'topic-model.json');

/** A logistic model over some topic signals, with its calibrated cut. */
export interface TopicLogistic {
  /** The signals it reads, in the order of `weights`. */
  signals: TopicSignal[];
  /** One weight per signal. */
  weights: number[];
  /** The log-odds of a paper whose signals are all 0. */
  intercept: number;
  /** Probability at which a paper is kept by default (chosen under leave-one-topic-out); it scores 0.5. */
  cut: number;
}

/** Contents of `index/topic-model.json`. */
export interface TopicModel {
  /** How it was made (script and data). */
  note: string;
  /** For topics with a profile (`topic-profiles.ts`). */
  profile: TopicLogistic;
  /** For any other topic text. */
  freeText: TopicLogistic;
}

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The model's probability that a paper with these signals is on the topic. */
export function topicProbability(model: TopicLogistic, signals: Record<TopicSignal, number>): number {
  let z = model.intercept;
  model.signals.forEach((signal, index) => {
    z += (model.weights[index] ?? 0) * signals[signal];
  });
  return sigmoid(z);
}

/**
 * The topic score (0..1): the probability with its log-odds moved so that the calibrated cut
 * scores exactly 0.5 (the default threshold). Monotone in the probability, so `--threshold` above
 * 0.5 asks for more certainty, below it for more recall.
 */
export function topicScore(model: TopicLogistic, signals: Record<TopicSignal, number>): number {
  const probability = Math.min(1 - 1e-12, Math.max(1e-12, topicProbability(model, signals)));
  return sigmoid(logit(probability) - logit(model.cut));
}

function checkLogistic(value: unknown, where: string): TopicLogistic {
  const model = value as TopicLogistic;
  const ok =
    typeof model === 'object' &&
    model !== null &&
    Array.isArray(model.signals) &&
    model.signals.every((signal) => (TOPIC_SIGNALS as readonly string[]).includes(signal)) &&
    Array.isArray(model.weights) &&
    model.weights.length === model.signals.length &&
    model.weights.every(Number.isFinite) &&
    Number.isFinite(model.intercept) &&
    model.cut > 0 &&
    model.cut < 1;
  if (!ok) throw new Error(`${where}: not a topic model (signals, weights, intercept, cut in 0..1).`);
  return model;
}

/** Parses a topic model file's text, saying what is wrong with it. */
export function parseTopicModel(text: string, where = TOPIC_MODEL_PATH): TopicModel {
  let value: TopicModel;
  try {
    value = JSON.parse(text) as TopicModel;
  } catch (error) {
    throw new Error(
      `${where}: not JSON (${(error as Error).message}); refit with scripts/fit-topic-filter.ts.`,
    );
  }
  return {
    note: String(value.note ?? ''),
    profile: checkLogistic(value.profile, `${where} "profile"`),
    freeText: checkLogistic(value.freeText, `${where} "freeText"`),
  };
}

let loaded: TopicModel | undefined;

/** The committed topic model (read once). */
export function topicModel(): TopicModel {
  loaded ??= parseTopicModel(readFileSync(TOPIC_MODEL_PATH, 'utf8'));
  return loaded;
}
