import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.ts';
import {
  foldPlural,
  levelTokens,
  topicAlternatives,
  topicWordUnits,
  wordBackground,
  wordSignals,
  wordText,
} from '../../src/trending/topic-words.ts';

const paper = (id: string, title: string, abstract: string): Paper => ({ id, title, abstract });

/** Twenty papers that all speak of language models and tokens; a few are about tokenization. */
const PAPERS: Paper[] = [
  paper('t1', 'Dynamic Tokenization for Language Models', 'We study tokenization. Tokenization splits text.'),
  paper('t2', 'Language Models and Their Tokens', 'Language models read tokens. We count tokens per answer.'),
  paper('t3', 'Vision-Language Models Ground Images', 'A vision-language model reads images and text.'),
  ...Array.from({ length: 17 }, (_, index) =>
    paper(`x${index}`, `Scaling Language Models ${index}`, 'Large language models predict the next token.'),
  ),
];

const signalsFor = (topic: string) => {
  const texts = PAPERS.map(wordText);
  const units = topicWordUnits(topic, wordBackground(PAPERS, texts));
  return texts.map((text) => wordSignals(text, units));
};

describe('topic words', () => {
  it('folds plurals only, so "tokenization" is not "tokens" at the word level', () => {
    expect(['models', 'studies', 'tokens', 'class', 'corpus', 'analysis'].map(foldPlural)).toEqual([
      'model',
      'study',
      'token',
      'class',
      'corpus',
      'analysis',
    ]);
    expect(levelTokens('Tokenization of tokens', 'word')).toEqual(['tokenization', 'token']);
    expect(levelTokens('Tokenization of tokens', 'stem')).toEqual(['token', 'token']);
    expect(levelTokens('vision-language', 'word')).toEqual(['visionlanguage', 'vision', 'language']);
  });

  it('cuts a topic into alternatives, a one-word alternative borrowing the shared words', () => {
    expect(topicAlternatives('image and video generation')).toEqual([
      ['image', 'generation'],
      ['video', 'generation'],
    ]);
    expect(topicAlternatives('AI safety and alignment')).toEqual([
      ['ai', 'safety'],
      ['ai', 'alignment'],
    ]);
    expect(topicAlternatives('speech and audio')).toEqual([['speech'], ['audio']]);
    expect(topicAlternatives('mixture of experts')).toEqual([['mixture', 'experts']]);
    expect(topicAlternatives('vision-language models')).toEqual([['vision', 'language', 'models']]);
    expect(topicAlternatives('the and of')).toEqual([]);
  });

  it('weighs a unit by its rarity: a paper about tokenization beats papers that mention tokens', () => {
    const signals = signalsFor('tokenization');
    const [about, mentions, , ...rest] = signals;
    expect(about?.wordsTitle).toBeGreaterThan(2 * (mentions?.wordsTitle ?? 0));
    expect(about?.wordsAbstract).toBeGreaterThan(2 * (mentions?.wordsAbstract ?? 0));
    expect(about?.wordsFirst).toBeGreaterThan(0);
    for (const other of rest) expect(other.wordsTitle).toBe(0);
  });

  it('gives a broad phrase little weight where its common part is everywhere', () => {
    const signals = signalsFor('vision-language models');
    const vision = signals[2];
    const plain = signals[3];
    expect(vision?.wordsTitle).toBeGreaterThan(5 * (plain?.wordsTitle ?? 0));
    expect(plain?.wordsTitle).toBeGreaterThan(0);
  });

  it('takes IDF over the bundled corpus too, so a small day of papers still tells rare from common', () => {
    const texts = PAPERS.slice(0, 2).map(wordText);
    const background = wordBackground(PAPERS.slice(0, 2), texts);
    expect(background.length).toBeGreaterThan(100);
    const units = topicWordUnits('tokenization', background);
    const weights = units.flat().map((unit) => unit.weight);
    expect(Math.min(...weights)).toBeGreaterThan(0);
  });
});
