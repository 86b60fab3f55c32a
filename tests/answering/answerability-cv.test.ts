import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, type Features } from '../../src/answering/answerability-features.ts';
import { chooseModel, readAnswerabilityParameters } from '../../src/answering/answerability-model.ts';
import { BUNDLED_ANSWERABILITY_PATH } from '../../src/answering/answerability-paths.ts';
import { corpusTerms } from '../../src/answering/build-answerer.ts';
import { ExtractiveAnswerer } from '../../src/answering/extractive-answerer.ts';
import { createBot } from '../../src/bot.ts';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import {
  barMargins,
  calibrationGrid,
  leaveOneSetOut,
  meetsBar,
  totalOf,
} from '../../src/evaluation/answerability-cv.ts';
import { featureSets, fitModel, type LabelledExample } from '../../src/evaluation/answerability-fit.ts';
import {
  countOutcomes,
  type ReplayedQuestion,
  replayedOutcome,
  replayThroughBot,
} from '../../src/evaluation/answerability-replay.ts';
import { loadBeir, readQueries } from '../../src/evaluation/beir.ts';
import { useBundledPaperIndex } from '../helpers/temp-index.ts';

const EVAL_DIR = join(PACKAGE_ROOT, 'tests', 'fixtures', 'eval');

/** Features all zero but the first paper's coverage. */
function features(coverage: number): Features {
  const values = Object.fromEntries(FEATURE_NAMES.map((name) => [name, 0])) as Features;
  values.coverageTop1 = coverage;
  return values;
}

describe('leave-one-set-out cross-validation', () => {
  const examples: LabelledExample[] = [];
  const replayed: ReplayedQuestion[] = [];
  for (const set of ['one', 'two', 'three']) {
    for (let index = 0; index < 10; index++) {
      const answerable = { set, id: `${set}-a${index}`, kind: 'answerable' as const };
      const unanswerable = { set, id: `${set}-u${index}`, kind: 'unanswerable' as const };
      examples.push({ ...answerable, label: 1, weight: 1, features: features(0.6 + index / 30) });
      examples.push({ ...unanswerable, label: 0, weight: 1, features: features(0.1 + index / 30) });
      const outcomes = { declined: 'declined', uncertain: 'uncertain', answered: 'answered' } as const;
      replayed.push({ ...answerable, features: features(0.6 + index / 30), dense: true, outcomes });
      replayed.push({ ...unanswerable, features: features(0.1 + index / 30), dense: true, outcomes });
    }
  }

  it('fits each fold without the held-out set, and a set outside the pool on the whole pool', () => {
    const results = leaveOneSetOut({
      examples,
      replayed,
      heldOut: ['one', 'two', 'three'],
      pool: ['one', 'two'],
      features: featureSets().dense,
      // A tenth of the ten answerable questions below the answer threshold (the bar allows 25%).
      quantiles: { decline: 0.01, answer: 0.1 },
    });
    expect(results.map((result) => result.fittedOn)).toEqual([['two'], ['one'], ['one', 'two']]);
    for (const result of results) {
      expect(result.auc).toBe(1);
      expect(result.unanswerableFlagged).toBe(10);
      expect(meetsBar(result)).toBe(true);
    }
    expect(totalOf(results)).toMatchObject({ answerable: 30, unanswerable: 30, unanswerableFlagged: 30 });
  });

  it('calibrates the threshold shares on sets the weights were not fitted on, farthest inside the bar', () => {
    // Fitted on sets one and two; the calibration set's unanswerable questions score higher than the
    // fit's did, so the answer share that suits the fit's own scores answers too many of them.
    const training = examples.filter((example) => example.set !== 'three');
    const calibration: ReplayedQuestion[] = [];
    const outcomes = { declined: 'declined', uncertain: 'uncertain', answered: 'answered' } as const;
    for (let index = 0; index < 20; index++) {
      calibration.push({
        set: 'three',
        id: `a${index}`,
        kind: 'answerable',
        features: features(0.66 + index / 50),
        dense: true,
        outcomes,
      });
      calibration.push({
        set: 'three',
        id: `u${index}`,
        kind: 'unanswerable',
        features: features(0.36 + index / 50),
        dense: true,
        outcomes,
      });
    }
    const grid = {
      model: fitModel(training, featureSets().dense),
      training,
      lexicalModel: fitModel(training, featureSets().lexical),
      lexicalTraining: training,
      replayed: calibration,
    };
    const rows = calibrationGrid(grid);
    const chosen = rows.filter((row) => row.chosen);
    expect(chosen).toHaveLength(1);
    expect(meetsBar(chosen[0]!.counts)).toBe(true);
    const smallest = (row: (typeof rows)[number]) => Math.min(...barMargins(row.counts));
    // No pair of the grid is farther inside the bar than the chosen one.
    for (const row of rows) expect(smallest(row)).toBeLessThanOrEqual(smallest(chosen[0]!) + 0.01);
    // The calibration set's unanswerable questions reach higher than the fit's: the chosen answer
    // share is above the grid's lowest, which would answer some of them.
    expect(chosen[0]!.quantiles.answer).toBeGreaterThan(0.2);
    expect(meetsBar(rows.find((row) => row.quantiles.answer === 0.2)!.counts)).toBe(false);
    // Deterministic: the same inputs choose the same pair.
    const again = calibrationGrid(grid);
    expect(again.find((row) => row.chosen)!.quantiles).toEqual(chosen[0]!.quantiles);
  });

  it('replays the outcome the bot gives under each verdict, and a fixed outcome without features', () => {
    const model = chooseModel(readAnswerabilityParameters(BUNDLED_ANSWERABILITY_PATH), undefined).model;
    const detail: ReplayedQuestion = {
      ...replayed[0]!,
      outcomes: { declined: 'declined', uncertain: 'declined', answered: 'declined' },
    };
    expect(replayedOutcome(detail, model)).toBe('declined');
    const chat: ReplayedQuestion = {
      ...detail,
      features: undefined,
      outcomes: { ...detail.outcomes, answered: 'chat' },
    };
    expect(replayedOutcome(chat, model)).toBe('chat');
    expect(countOutcomes([detail, chat], () => 'declined')).toMatchObject({
      answerable: 2,
      answerableDeclined: 2,
    });
  });
});

describe('replaying the evaluation through the bot', () => {
  const bundled = useBundledPaperIndex();

  it('gives, for the committed score, the outcomes the bot gives with the real answerer', async () => {
    const { index, retriever } = bundled;
    const context = corpusTerms(index);
    const replay = await replayThroughBot({
      evalDir: EVAL_DIR,
      sets: ['team-d'],
      retriever,
      catalog: index,
      context,
    });
    const parameters = readAnswerabilityParameters(BUNDLED_ANSWERABILITY_PATH);
    const model = chooseModel(parameters, index.manifest?.embeddingModel).model;
    const answerer = new ExtractiveAnswerer({
      termWeight: context.weight,
      isKnownTerm: context.isKnownTerm,
      isKnownPair: context.isKnownPair,
      isCorpusName: context.isCorpusName,
    });
    const bot = createBot({ retriever, answerer, catalog: index, paperCount: () => index.size });
    const dir = join(EVAL_DIR, 'team-d');
    const questions = [...loadBeir(dir).queries, ...readQueries(join(dir, 'unanswerable.jsonl'))];
    expect(replay).toHaveLength(questions.length);
    const outcomes: string[] = [];
    for (const question of questions) outcomes.push((await bot.ask(question.text)).outcome);
    expect(replay.map((question) => replayedOutcome(question, model))).toEqual(outcomes);
    // Some questions take the score's verdict, and some are decided without it (authors, details).
    expect(replay.some((question) => question.features === undefined)).toBe(true);
    expect(new Set(outcomes)).toEqual(new Set(['answered', 'uncertain', 'declined']));
  }, 180_000);
});
