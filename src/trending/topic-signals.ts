import type { Paper } from '../corpus/paper.ts';
import { tokenize } from '../retrieval/tokenize.ts';
import {
  countPhrase,
  DEFAULT_EVIDENCE_WEIGHTS,
  evidenceScore,
  type TopicEvidence,
} from './topic-evidence.ts';

/**
 * Signals of how much a paper is ABOUT a topic (a main subject, not a passing mention), each
 * computed from the topic's evidence phrases. The topic model (`topic-model.ts`) combines the ones
 * that earned their place under leave-one-topic-out on the FIT topics (`scripts/fit-topic-filter.ts`).
 */
export const TOPIC_SIGNALS = [
  'evidence',
  'title',
  'contribution',
  'first',
  'share',
  'density',
  'strongEvidence',
  'relative',
  'core',
  'wordsTitle',
  'wordsFirst',
  'wordsAbstract',
] as const;

/** The signals of the topic's own words (`topic-words.ts`): what the free-text model reads. */
export const WORD_SIGNALS = ['wordsTitle', 'wordsFirst', 'wordsAbstract'] as const;

/** One of `TOPIC_SIGNALS`. */
export type TopicSignal = (typeof TOPIC_SIGNALS)[number];

/** What each signal measures (for the fit script's table and the README). */
export const SIGNAL_DESCRIPTIONS: Record<TopicSignal, string> = {
  evidence: 'log2(1 + evidence): strong and weak phrases over title and abstract, a title mention x3',
  title: 'a strong phrase in the title',
  contribution: 'a strong phrase in a contribution sentence ("we …", "this paper/work …", "our …")',
  first: 'a strong phrase in the first sentence of the abstract',
  share: 'share of the abstract sentences with a strong phrase',
  density: 'evidence per abstract sentence',
  strongEvidence: 'log2(1 + evidence of the strong phrases alone)',
  relative: 'evidence as a z-score among the papers being filtered',
  core: 'log2(1 + evidence of the title and the contribution sentences alone)',
  wordsTitle:
    "IDF-weighted mean over the topic's own word units (plural-folded and stemmed) of being in the title",
  wordsFirst: "the same, of being in the abstract's first sentence",
  wordsAbstract: 'the same, of m / (m + 1) for m mentions in the abstract',
};

/** A paper's abstract cut into sentences, each as word stems, with whether it states a contribution. */
export interface PaperSentences {
  /** The title's stems. */
  title: string[];
  /** Each abstract sentence's stems, in order. */
  sentences: string[][];
  /** Per sentence: true when it speaks for the authors ("we …", "this paper …", "our …"). */
  contribution: boolean[];
}

const CONTRIBUTION = /\b(?:we|our|this (?:paper|work|study|article|report))\b/i;

/** Splits at ., ! or ? followed by a space and a capital, digit, bracket or quote. */
export function splitSentences(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=[A-Z0-9(["'\u201c])/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '');
}

/** The title and the abstract's sentences of a paper, as stems. */
export function paperSentences(paper: Paper): PaperSentences {
  const sentences = splitSentences(paper.abstract);
  return {
    title: tokenize(paper.title),
    sentences: sentences.map((sentence) => tokenize(sentence)),
    contribution: sentences.map((sentence) => CONTRIBUTION.test(sentence)),
  };
}

/** True when the tokens contain a phrase of the evidence with at least the strong weight. */
function hasStrong(tokens: readonly string[], evidence: TopicEvidence): boolean {
  return evidence.phrases.some(
    (entry) => entry.weight >= DEFAULT_EVIDENCE_WEIGHTS.strong && countPhrase(tokens, entry.stems) > 0,
  );
}

/** Every signal of `TOPIC_SIGNALS` for one paper (`words` from `topic-words.ts`, 0 when left out). */
export function topicSignals(
  paper: PaperSentences,
  evidence: TopicEvidence,
  abstract: readonly string[] = paper.sentences.flat(),
  words: Record<(typeof WORD_SIGNALS)[number], number> = { wordsTitle: 0, wordsFirst: 0, wordsAbstract: 0 },
): Record<TopicSignal, number> {
  const strong = paper.sentences.map((sentence) => hasStrong(sentence, evidence));
  const raw = evidenceScore({ title: paper.title, abstract: [...abstract] }, evidence);
  return {
    evidence: Math.log2(1 + raw),
    title: hasStrong(paper.title, evidence) ? 1 : 0,
    contribution: strong.some((found, index) => found && paper.contribution[index]) ? 1 : 0,
    first: strong[0] ? 1 : 0,
    share: strong.length === 0 ? 0 : strong.filter(Boolean).length / strong.length,
    density: raw / Math.max(1, paper.sentences.length),
    strongEvidence: Math.log2(
      1 +
        evidenceScore(
          { title: paper.title, abstract: [...abstract] },
          {
            ...evidence,
            phrases: evidence.phrases.filter((entry) => entry.weight >= DEFAULT_EVIDENCE_WEIGHTS.strong),
          },
        ),
    ),
    relative: 0,
    core: Math.log2(
      1 +
        evidenceScore(
          {
            title: paper.title,
            abstract: paper.sentences.filter((_, index) => paper.contribution[index]).flat(),
          },
          evidence,
        ),
    ),
    ...words,
  };
}

/** Sets each paper's `relative` signal: its `evidence` as a z-score among `signals` (0 when all are equal). */
export function setRelative(signals: Record<TopicSignal, number>[]): void {
  const values = signals.map((entry) => entry.evidence);
  const mean = values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  const spread = Math.sqrt(
    values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(1, values.length),
  );
  for (const entry of signals) entry.relative = spread > 0 ? (entry.evidence - mean) / spread : 0;
}
