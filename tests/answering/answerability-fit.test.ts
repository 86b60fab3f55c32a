import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusTerms } from '../../src/answering/build-answerer.ts';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import type { Paper } from '../../src/corpus/paper.ts';
import { collectExamples, featureSets, fitModel, roundDown } from '../../src/evaluation/answerability-fit.ts';
import { compositionalQuestions } from '../../src/evaluation/compositional.ts';
import { tokenize } from '../../src/retrieval/tokenize.ts';
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
    // 40 answerable, their 40 leave-one-out near misses, 10 unanswerable and the written negatives.
    expect(first.filter((example) => example.kind === 'near-miss')).toHaveLength(40);
    expect(first.filter((example) => example.label === 1)).toHaveLength(40);
    const { dense } = featureSets();
    expect(JSON.stringify(fitModel(second, dense))).toBe(JSON.stringify(fitModel(first, dense)));
  }, 180_000);
});

describe('compositional training questions', () => {
  const papers = readFileSync(join(PACKAGE_ROOT, 'corpus', 'seed-papers.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Paper);
  const pairsOf = (text: string) => {
    const stems = tokenize(text, false);
    return new Set(stems.slice(1).map((stem, index) => `${stems[index]} ${stem}`));
  };

  it('are the same for the same corpus, in either order, one of each label per paper at most', () => {
    const questions = compositionalQuestions(papers);
    expect(compositionalQuestions([...papers].reverse())).toEqual(questions);
    expect(new Set(questions.map((question) => question.id)).size).toBe(questions.length);
    expect(questions.filter((question) => question.label === 1).length).toBeGreaterThan(80);
    expect(questions.filter((question) => question.label === 0).length).toBeGreaterThan(80);
  });

  it('label a question 1 exactly when some paper holds both of its phrases', () => {
    const corpus = papers.map((paper) => pairsOf(`${paper.title} ${paper.abstract}`));
    for (const question of compositionalQuestions(papers)) {
      const [own, other] = question.phrases;
      const asked = pairsOf(question.text);
      expect(asked.has(own) && asked.has(other), question.text).toBe(true);
      expect(
        corpus.filter((pairs) => pairs.has(own)),
        question.text,
      ).toHaveLength(1);
      const together = corpus.some((pairs) => pairs.has(own) && pairs.has(other));
      expect(together, question.text).toBe(question.label === 1);
    }
  });
});
