import { join } from 'node:path';
import {
  answerabilityFeatures,
  type FeatureContext,
  type Features,
} from '../answering/answerability-features.ts';
import { type AnswerabilityModel, outcomeOf, predict } from '../answering/answerability-model.ts';
import type { Answer, Answerer } from '../answering/answerer.ts';
import type { CorpusCatalog } from '../answering/chat-corpus.ts';
import { ExtractiveAnswerer } from '../answering/extractive-answerer.ts';
import { createBot } from '../bot.ts';
import type { Retriever, SearchHit, SearchOptions } from '../retrieval/types.ts';
import { loadBeir, readQueries } from './beir.ts';

type Outcome = 'answered' | 'uncertain' | 'declined';

/**
 * One evaluation question as the bot answers it, for any score: the features the score saw (none
 * when the bot answered without it: chat, named-paper details) and the bot's outcome under each of
 * the score's three verdicts (a detail rule may decline whatever the score says).
 */
export interface ReplayedQuestion {
  set: string;
  id: string;
  kind: 'answerable' | 'unanswerable';
  /** Features of the last score the bot asked for; undefined when it asked none. */
  features?: Features;
  /** Whether the hits had dense scores (else the lexical-only model decides). */
  dense: boolean;
  /** The bot's outcome when the score says declined, uncertain, answered. */
  outcomes: Record<Outcome, Answer['outcome']>;
}

/** The offline answerer with the score's verdict forced, recording what the score would see. */
class ForcedAnswerer extends ExtractiveAnswerer {
  forced: Outcome = 'answered';
  seen: { features: Features; dense: boolean } | undefined;

  constructor(private readonly featureContext: FeatureContext) {
    super({ termWeight: featureContext.weight, isKnownTerm: featureContext.isKnownTerm });
  }

  override assess(question: string, hits: SearchHit[]) {
    this.seen = {
      features: answerabilityFeatures(question, hits, this.featureContext),
      dense: hits.some((hit) => hit.denseScore !== undefined),
    };
    return { outcome: hits.length === 0 ? 'declined' : this.forced, confidence: 0.5 } as const;
  }
}

/** A retriever that answers a repeated search from memory (the replay asks each question three times). */
function memoised(retriever: Retriever): Retriever {
  const cache = new Map<string, Promise<SearchHit[]>>();
  return {
    search(query: string, options: SearchOptions = {}) {
      const key = JSON.stringify([query, options.k, options.mode, options.dates]);
      let hits = cache.get(key);
      if (!hits) {
        hits = retriever.search(query, options);
        cache.set(key, hits);
      }
      return hits;
    },
  };
}

/**
 * Asks every question of the sets through the bot (as `paperbot eval` does) three times, with the
 * score's verdict forced to each outcome, so that cross-validation can replay any fitted model and
 * thresholds exactly as users would get them, without asking again.
 */
export async function replayThroughBot(options: {
  evalDir: string;
  sets: string[];
  retriever: Retriever;
  /** The retriever for a set's own questions (one whose question memory leaves the set out). */
  retrieverFor?: (set: string) => Retriever;
  catalog: CorpusCatalog & { size: number };
  context: FeatureContext;
  /** The feature context for a set's own questions (its word reliability leaves the set out). */
  contextFor?: (set: string) => FeatureContext;
}): Promise<ReplayedQuestion[]> {
  const replayed: ReplayedQuestion[] = [];
  for (const set of options.sets) {
    const answerer = new ForcedAnswerer(options.contextFor?.(set) ?? options.context);
    const bot = createBot({
      retriever: memoised(options.retrieverFor?.(set) ?? options.retriever),
      answerer: answerer as Answerer,
      catalog: options.catalog,
      paperCount: () => options.catalog.size,
    });
    const dir = join(options.evalDir, set);
    const questions = [
      ...loadBeir(dir).queries.map((query) => ({ ...query, kind: 'answerable' as const })),
      ...readQueries(join(dir, 'unanswerable.jsonl')).map((query) => ({
        ...query,
        kind: 'unanswerable' as const,
      })),
    ];
    for (const question of questions) {
      const outcomes = {} as Record<Outcome, Answer['outcome']>;
      let seen: ForcedAnswerer['seen'];
      for (const forced of ['declined', 'uncertain', 'answered'] as const) {
        answerer.forced = forced;
        answerer.seen = undefined;
        outcomes[forced] = (await bot.ask(question.text)).outcome;
        seen = answerer.seen;
      }
      replayed.push({
        set,
        id: question.id,
        kind: question.kind,
        features: seen?.features,
        dense: seen?.dense ?? true,
        outcomes,
      });
    }
  }
  return replayed;
}

/** The bot's outcome on a replayed question under a model (and the lexical-only one without dense scores). */
export function replayedOutcome(
  question: ReplayedQuestion,
  model: AnswerabilityModel,
  lexicalModel: AnswerabilityModel = model,
): Answer['outcome'] {
  if (!question.features) return question.outcomes.answered;
  const chosen = question.dense ? model : lexicalModel;
  return question.outcomes[outcomeOf(chosen, predict(chosen, question.features))];
}

/** Counts of the bar's figures over replayed questions under a model. */
export interface ReplayCounts {
  /** Answerable questions. */
  answerable: number;
  /** Answerable questions declined (the bar: at most 5%). */
  answerableDeclined: number;
  /** Answerable questions flagged uncertain (the bar: at most 25%). */
  answerableUncertain: number;
  /** Unanswerable questions. */
  unanswerable: number;
  /** Unanswerable questions declined. */
  unanswerableDeclined: number;
  /** Unanswerable questions declined or uncertain (the bar: at least 90%). */
  unanswerableFlagged: number;
}

/** Counts of nothing yet. */
export function zeroCounts(): ReplayCounts {
  return {
    answerable: 0,
    answerableDeclined: 0,
    answerableUncertain: 0,
    unanswerable: 0,
    unanswerableDeclined: 0,
    unanswerableFlagged: 0,
  };
}

export function countOutcomes(
  questions: ReplayedQuestion[],
  outcome: (question: ReplayedQuestion) => Answer['outcome'],
): ReplayCounts {
  const counts = zeroCounts();
  for (const question of questions) {
    const result = outcome(question);
    if (question.kind === 'answerable') {
      counts.answerable++;
      if (result === 'declined') counts.answerableDeclined++;
      if (result === 'uncertain') counts.answerableUncertain++;
    } else {
      counts.unanswerable++;
      if (result === 'declined') counts.unanswerableDeclined++;
      if (result === 'declined' || result === 'uncertain') counts.unanswerableFlagged++;
    }
  }
  return counts;
}
