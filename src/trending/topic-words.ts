import { readFileSync } from 'node:fs';
import { stemmer } from 'stemmer';
import { BUNDLED_CORPUS_PATH } from '../corpus/bundled.ts';
import type { Paper } from '../corpus/paper.ts';
import { foldText, STOPWORDS } from '../retrieval/tokenize.ts';
import { countPhrase } from './topic-evidence.ts';
import { splitSentences } from './topic-signals.ts';

/**
 * How much a paper is about a free-text topic, from the topic's own words alone (no profile, no
 * expansion): the three `words*` signals of `topic-signals.ts`.
 *
 * The topic is cut at "and", "or", commas, "&" and "/" into alternatives, a one-word alternative
 * borrowing the shared words ("image and video generation": "image generation", "video generation";
 * "AI safety and alignment": "AI safety", "AI alignment"). Each alternative gives units: each word,
 * the whole phrase and each pair of neighbouring words, matched as consecutive words at two levels,
 * plural-folded words ("tokenization" matches "tokenizations", not "tokens") and Porter stems
 * ("token" matches "tokens" and "tokenization"). Each unit weighs its IDF in the background (the
 * papers being filtered and the bundled corpus), so a unit most papers contain ("language model",
 * the stem "token") weighs little and a rare one ("vision language model") much. A signal is the
 * IDF-weighted mean over the alternative's units of where the unit occurs (title; first sentence;
 * abstract mentions m as m / (m + 1)), the best alternative counting.
 */

/** Matching levels: plural-folded words, then Porter stems. */
const LEVELS = ['word', 'stem'] as const;
type Level = (typeof LEVELS)[number];

/** Folds an English plural ("models", "studies") to its singular; other words are kept. */
export function foldPlural(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

const normalise: Record<Level, (word: string) => string> = { word: foldPlural, stem: stemmer };

/** Content words of a text at one level; hyphenated words give their joined form then their parts. */
export function levelTokens(text: string, level: Level, joinCompounds = true): string[] {
  const tokens: string[] = [];
  for (const word of foldText(text).match(/[a-z0-9]+(?:[-'][a-z0-9]+)*/g) ?? []) {
    if (word.endsWith("n't")) continue;
    const parts = word.includes('-')
      ? [...(joinCompounds ? [word.replace(/-/g, '')] : []), ...word.split('-')]
      : [word.replace(/'.*$/, '')];
    for (const part of parts) {
      if ((part.length < 2 && !/\d/.test(part)) || STOPWORDS.has(part)) continue;
      tokens.push(normalise[level](part));
    }
  }
  return tokens;
}

/** The alternatives a topic text names, as their content words (unnormalised, lowercase). */
export function topicAlternatives(topic: string): string[][] {
  const raw = (text: string) =>
    (foldText(text).match(/[a-z0-9]+(?:[-'][a-z0-9]+)*/g) ?? []).flatMap((word) =>
      word.split('-').filter((part) => (part.length >= 2 || /\d/.test(part)) && !STOPWORDS.has(part)),
    );
  const parts = topic
    .split(/\s*(?:,|&|\/|\band\b|\bor\b)\s*/i)
    .map(raw)
    .filter((part) => part.length > 0);
  if (parts.length < 2) return [raw(topic)].filter((part) => part.length > 0);
  const first = parts[0] as string[];
  const last = parts.at(-1) as string[];
  return parts.map((part, index) => {
    if (part.length !== 1) return part;
    if (index < parts.length - 1 && last.length > 1) return [...part, ...last.slice(1)];
    if (index > 0 && first.length > 1) return [...first.slice(0, -1), ...part];
    return part;
  });
}

/** A paper's title, first sentence and abstract at each level. */
export interface WordText {
  /** Per level: title, first sentence and abstract tokens. */
  levels: Record<Level, { title: string[]; first: string[]; abstract: string[] }>;
}

/** A paper as `WordText`. */
export function wordText(paper: Pick<Paper, 'title' | 'abstract'>): WordText {
  const first = splitSentences(paper.abstract)[0] ?? '';
  const at = (level: Level) => ({
    title: levelTokens(paper.title, level),
    first: levelTokens(first, level),
    abstract: levelTokens(paper.abstract, level),
  });
  return { levels: { word: at('word'), stem: at('stem') } };
}

let bundled: { id: string; text: WordText }[] | undefined;

/** The bundled corpus as `WordText` (read once; empty when the file is missing). */
function bundledTexts(): { id: string; text: WordText }[] {
  if (bundled) return bundled;
  let lines: string[] = [];
  try {
    lines = readFileSync(BUNDLED_CORPUS_PATH, 'utf8').split('\n');
  } catch {
    lines = [];
  }
  bundled = lines
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Paper)
    .map((paper) => ({ id: paper.id, text: wordText(paper) }));
  return bundled;
}

/** The background the IDF of a unit is taken over: `papers` and the bundled papers not among them. */
export function wordBackground(papers: readonly Paper[], texts: readonly WordText[]): WordText[] {
  const ids = new Set(papers.map((paper) => paper.id));
  return [
    ...texts,
    ...bundledTexts()
      .filter((entry) => !ids.has(entry.id))
      .map((entry) => entry.text),
  ];
}

/** One matching unit of a topic alternative, with its IDF weight. */
interface WordUnit {
  level: Level;
  tokens: string[];
  weight: number;
}

/** The three `words*` signals of one paper. */
export interface WordSignals {
  wordsTitle: number;
  wordsFirst: number;
  wordsAbstract: number;
}

/** Each alternative's units, weighted by IDF over `background`. */
export function topicWordUnits(topic: string, background: readonly WordText[]): WordUnit[][] {
  const size = background.length;
  return topicAlternatives(topic).map((words) =>
    LEVELS.flatMap((level) => {
      const tokens = words.map(normalise[level]);
      const units = tokens.map((token) => [token]);
      if (tokens.length > 1) units.push(tokens);
      if (tokens.length > 2)
        for (let at = 0; at + 1 < tokens.length; at += 1) units.push(tokens.slice(at, at + 2));
      return units.map((unit) => {
        const frequency = background.filter(
          (text) =>
            countPhrase(text.levels[level].title, unit) + countPhrase(text.levels[level].abstract, unit) > 0,
        ).length;
        return { level, tokens: unit, weight: Math.log(1 + (size - frequency + 0.5) / (frequency + 0.5)) };
      });
    }),
  );
}

/** The `words*` signals of a paper for a topic's units (the best alternative per signal). */
export function wordSignals(text: WordText, alternatives: readonly WordUnit[][]): WordSignals {
  const signals: WordSignals = { wordsTitle: 0, wordsFirst: 0, wordsAbstract: 0 };
  for (const units of alternatives) {
    if (units.length === 0) continue;
    const mean = (value: (unit: WordUnit) => number) =>
      units.reduce((sum, unit) => sum + unit.weight * value(unit), 0) / units.length;
    const count = (unit: WordUnit, part: 'title' | 'first' | 'abstract') =>
      countPhrase(text.levels[unit.level][part], unit.tokens);
    signals.wordsTitle = Math.max(
      signals.wordsTitle,
      mean((unit) => (count(unit, 'title') > 0 ? 1 : 0)),
    );
    signals.wordsFirst = Math.max(
      signals.wordsFirst,
      mean((unit) => (count(unit, 'first') > 0 ? 1 : 0)),
    );
    signals.wordsAbstract = Math.max(
      signals.wordsAbstract,
      mean((unit) => {
        const mentions = count(unit, 'abstract');
        return mentions / (mentions + 1);
      }),
    );
  }
  return signals;
}
