import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { FIT_TOPICS, loadTopicLabelledSet } from '../../src/trending/topic-evaluation.ts';
import { scoreTopic } from '../../src/trending/topic-filter.ts';
import {
  parseTopicModel,
  TOPIC_MODEL_PATH,
  type TopicLogistic,
  topicModel,
  topicProbability,
  topicScore,
} from '../../src/trending/topic-model.ts';
import {
  cutForF1,
  cutForRecall,
  fitLogistic,
  fitTopicModel,
  leaveOneTopicOut,
  type Prediction,
  qualityAt,
  topicModelText,
} from '../../src/trending/topic-model-fit.ts';
import type { TopicSignal } from '../../src/trending/topic-signals.ts';

const signals = (evidence: number) => ({ evidence }) as Record<TopicSignal, number>;

describe('topic model', () => {
  it('fits a logistic regression that separates by the informative column and ignores noise', () => {
    const features = Array.from({ length: 40 }, (_, index) => [index / 10, (index * 7) % 3]);
    const labels = features.map(([x]) => (x ?? 0) > 2 + ((x ?? 0) * 13 > 30 ? 0 : 0.5));
    const [intercept = 0, weight = 0, noise = 0] = fitLogistic(features, labels);
    expect(weight).toBeGreaterThan(1);
    expect(Math.abs(noise)).toBeLessThan(weight / 4);
    expect(intercept).toBeLessThan(0);
    expect(fitLogistic(features, labels)).toEqual([intercept, weight, noise]);
  });

  it('chooses the highest cut that keeps the recall, and the best-F1 cut', () => {
    const predictions: Prediction[] = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4].map((probability, index) => ({
      topic: 't',
      probability,
      on: [true, false, true, true, false, true][index] ?? false,
    }));
    expect(cutForRecall(predictions, 0.75)).toEqual({ cut: 0.6, precision: 0.75, recall: 0.75, kept: 4 });
    expect(cutForRecall(predictions, 1).cut).toBe(0.4);
    expect(cutForF1(predictions).cut).toBe(0.4);
    expect(qualityAt(predictions, 0.95)).toEqual({ cut: 0.95, precision: 1, recall: 0, kept: 0 });
  });

  it('scores the calibrated cut 0.5, monotone in the probability', () => {
    const model: TopicLogistic = { signals: ['evidence'], weights: [2], intercept: -4, cut: 0.3 };
    const atCut = (Math.log(0.3 / 0.7) + 4) / 2;
    expect(topicProbability(model, signals(atCut))).toBeCloseTo(0.3, 10);
    expect(topicScore(model, signals(atCut))).toBeCloseTo(0.5, 10);
    expect(topicScore(model, signals(atCut + 0.1))).toBeGreaterThan(0.5);
    expect(topicScore(model, signals(atCut - 0.1))).toBeLessThan(0.5);
    expect(topicScore(model, signals(100))).toBeLessThanOrEqual(1);
  });

  it('rejects a model file that is not one, saying which part and what is expected', () => {
    const good = readFileSync(TOPIC_MODEL_PATH, 'utf8');
    expect(parseTopicModel(good).profile.signals).toContain('evidence');
    const bad = JSON.parse(good);
    bad.freeText.signals = ['evidence', 'mood'];
    expect(() => parseTopicModel(JSON.stringify(bad), 'model.json')).toThrow(
      /model\.json "freeText": not a topic model/,
    );
    bad.freeText = { ...bad.profile, cut: 1 };
    expect(() => parseTopicModel(JSON.stringify(bad), 'model.json')).toThrow(/cut in 0\.\.1/);
    expect(() => parseTopicModel('{"profile":', 'model.json')).toThrow(
      /model\.json: not JSON .*fit-topic-filter/,
    );
  });

  it('is the committed index/topic-model.json, refitted from the FIT topics alone', () => {
    const set = loadTopicLabelledSet(join(PACKAGE_ROOT, 'tests', 'fixtures', 'topics'));
    const fitted = fitTopicModel(set, FIT_TOPICS);
    expect(topicModelText(fitted.model)).toBe(readFileSync(TOPIC_MODEL_PATH, 'utf8'));
    expect(topicModel()).toEqual(fitted.model);
    // The cut keeps held-out recall 0.8 on the FIT topics.
    expect(fitted.profile.heldOut.recall).toBeGreaterThanOrEqual(0.8);
    const heldOut = leaveOneTopicOut(fitted.profile.examples, fitted.model.profile.signals);
    expect(heldOut).toHaveLength(FIT_TOPICS.length * set.papers.length);
    // What filterByTopic scores is the model's score of the same signals.
    const { scores } = scoreTopic(set.papers, 'robotics');
    const robotics = fitted.profile.examples.filter((example) => example.topic === 'robotics');
    expect(scores).toEqual(
      robotics.map((example) =>
        topicScore(fitted.model.profile, example.signals as Record<TopicSignal, number>),
      ),
    );
  });
});
