import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/retrieval/tokenize.ts';
import {
  countPhrase,
  documentFrequencies,
  evidenceScore,
  expandEvidence,
  findTopicProfile,
  freeTextEvidence,
  paperText,
  phraseStems,
  profileEvidence,
} from '../../src/trending/topic-evidence.ts';
import { TOPIC_PROFILES } from '../../src/trending/topic-profiles.ts';

const text = (title: string, abstract = '') => paperText({ id: 'p', title, abstract });

describe('topic evidence', () => {
  it('matches phrases as consecutive stems, across inflection and hyphens', () => {
    const paper = text('Retrieval-Augmented Language Models', 'A retrieval augmented model of language.');
    expect(countPhrase(paper.title, phraseStems('language model'))).toBe(1);
    expect(countPhrase(paper.abstract, phraseStems('language models'))).toBe(0);
    expect(countPhrase(paper.title, phraseStems('retrieval augmented'))).toBe(1);
    expect(countPhrase(paper.abstract, phraseStems('retrieval-augmented'))).toBe(1);
  });

  it('keeps hyphenated words whose parts are stopwords or letters as their joined form', () => {
    expect(phraseStems('on-policy')).toEqual(tokenize('on-policy').slice(0, 1));
    const onPolicy = text('On-Policy Distillation', 'Policy gradients.');
    expect(countPhrase(onPolicy.title, phraseStems('on-policy'))).toBe(1);
    expect(countPhrase(text('A policy').title, phraseStems('on-policy'))).toBe(0);
  });

  it('gives every word of every profile phrase a stem (none lost to stopwords)', () => {
    for (const profile of TOPIC_PROFILES) {
      for (const phrase of [...profile.strong, ...profile.weak]) {
        for (const word of phrase.split(/\s+/)) {
          expect(phraseStems(word).length, `${profile.name}: "${phrase}"`).toBeGreaterThan(0);
        }
      }
    }
    expect(phraseStems('tool use')).toEqual(['tool']);
  });

  it('finds a known topic by its name or an alias, whatever the case, order or inflection', () => {
    expect(findTopicProfile('RAG')?.name).toBe('retrieval-augmented generation');
    expect(findTopicProfile('Retrieval Augmented Generation')?.name).toBe('retrieval-augmented generation');
    expect(findTopicProfile('generation of images and videos')?.name).toBe('image and video generation');
    expect(findTopicProfile('video generation')?.name).toBe('image and video generation');
    expect(findTopicProfile('reinforcement learning for robots')).toBeUndefined();
    expect(findTopicProfile('the')).toBeUndefined();
  });

  it('scores a profile by its phrases, a title mention counting more than one in the abstract', () => {
    const profile = findTopicProfile('robotics');
    if (!profile) throw new Error('robotics profile missing');
    const evidence = profileEvidence('robotics', profile);
    const inTitle = evidenceScore(text('Robot Manipulation'), evidence);
    const inAbstract = evidenceScore(text('A Method', 'robot manipulation'), evidence);
    const passing = evidenceScore(text('A Method', 'a physical setting'), evidence);
    expect(inTitle).toBeGreaterThan(inAbstract);
    expect(inAbstract).toBeGreaterThan(passing);
    expect(passing).toBeGreaterThan(0);
    expect(evidenceScore(text('Language Models'), evidence)).toBe(0);
  });

  it('weights the words of a free-text topic by IDF, so a common word adds little', () => {
    const texts = [
      text('Reinforcement learning for games'),
      text('Learning to rank'),
      text('Learning curves'),
      text('Deep learning'),
    ];
    const evidence = freeTextEvidence('reinforcement learning', documentFrequencies(texts));
    const weightOf = (stem: string) =>
      evidence.phrases.find((entry) => entry.stems.length === 1 && entry.stems[0] === stem)?.weight ?? 0;
    expect(weightOf('reinforc')).toBeGreaterThan(3 * weightOf('learn'));
    expect(evidence.phrases[0]?.stems).toEqual(['reinforc', 'learn']);
    expect(evidenceScore(texts[0] ?? text(''), evidence)).toBeGreaterThan(
      evidenceScore(texts[1] ?? text(''), evidence),
    );
  });

  it('expands a free-text topic with the words over-represented where it already matches', () => {
    const texts = [
      ...['one', 'two', 'three'].map((n) => text(`Protein folding ${n}`, 'residue contacts predicted')),
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((n) => text(`Parsing ${n}`, 'residue grammar trees')),
      text('Contact maps', 'predicted residue contacts'),
    ];
    const frequencies = documentFrequencies(texts);
    const base = freeTextEvidence('protein folding', frequencies);
    const expanded = expandEvidence(base, texts, frequencies, { seedScore: 0.7, weight: 0.3 });
    const added = expanded.phrases.slice(base.phrases.length).map((entry) => entry.text);
    expect(added).toContain('contact');
    expect(added).not.toContain('residu');
    expect(evidenceScore(texts.at(-1) ?? text(''), expanded)).toBeGreaterThan(0);
    expect(evidenceScore(texts.at(-1) ?? text(''), base)).toBe(0);
    const tooFew = expandEvidence(base, texts.slice(3), frequencies, { seedScore: 0.7, weight: 0.3 });
    expect(tooFew).toBe(base);
  });
});
