import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusTerms } from '../../src/answering/build-answerer.ts';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { collectExamples, featureSets, fitModel, roundDown } from '../../src/evaluation/answerability-fit.ts';
import { useBundledPaperIndex } from '../helpers/temp-index.ts';

const EVAL_DIR = join(PACKAGE_ROOT, 'tests', 'fixtures', 'eval');

describe('thresholds', () => {
  it.each([
    [0.08296587, 0.0829658],
    [0.08296583, 0.0829658],
    [0.5642599, 0.564259],
    [0.564259, 0.564259],
  ])('rounds %f down to six digits: %f', (value, rounded) => {
    expect(roundDown(value)).toBe(rounded);
    expect(roundDown(value)).toBeLessThanOrEqual(value);
  });
});

describe('fitting the answerability score on committed data', () => {
  const bundled = useBundledPaperIndex();

  it('collects the same examples and fits identical parameters twice (refit is deterministic)', async () => {
    const { index, retriever } = bundled;
    const context = corpusTerms(index);
    const collect = () =>
      collectExamples({ evalDir: EVAL_DIR, sets: ['seed-dev'], retriever, context, mode: 'hybrid' });
    const first = await collect();
    const second = await collect();
    expect(second).toEqual(first);
    // 40 answerable, their 40 leave-one-out near misses, 10 unanswerable and the written negatives;
    // the 50 judged questions also restyled twice each, with their labels.
    expect(first.filter((example) => example.kind === 'near-miss')).toHaveLength(40);
    expect(first.filter((example) => example.kind === 'answerable')).toHaveLength(40);
    const restyled = first.filter((example) => example.kind === 'restyled');
    expect(restyled).toHaveLength(100);
    expect(restyled.filter((example) => example.label === 1)).toHaveLength(80);
    expect(first.filter((example) => example.label === 1)).toHaveLength(120);
    const { dense } = featureSets();
    expect(JSON.stringify(fitModel(second, dense))).toBe(JSON.stringify(fitModel(first, dense)));
  }, 180_000);
});
