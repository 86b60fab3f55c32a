import { describe, expect, it } from 'vitest';
import { findTopicProfile, paperText, profileEvidence } from '../../src/trending/topic-evidence.ts';
import {
  paperSentences,
  setRelative,
  splitSentences,
  TOPIC_SIGNALS,
  type TopicSignal,
  topicSignals,
} from '../../src/trending/topic-signals.ts';

const robotics = (() => {
  const profile = findTopicProfile('robotics');
  if (!profile) throw new Error('robotics profile missing');
  return profileEvidence('robotics', profile);
})();

const signalsOf = (title: string, abstract: string) => {
  const paper = { id: 'p', title, abstract };
  return topicSignals(paperSentences(paper), robotics, paperText(paper).abstract);
};

describe('topic signals', () => {
  it('splits an abstract into sentences at a stop followed by a capital, digit or bracket', () => {
    expect(
      splitSentences('We train a robot.  It grasps cups! Does it? (Yes.) 3 tasks, e.g. stacking.'),
    ).toEqual(['We train a robot.', 'It grasps cups!', 'Does it?', '(Yes.) 3 tasks, e.g. stacking.']);
    expect(splitSentences('')).toEqual([]);
  });

  it('marks the sentences that speak for the authors as contribution sentences', () => {
    const { contribution } = paperSentences({
      id: 'p',
      title: 'T',
      abstract: 'Robots are common. We propose a gripper. This paper also studies drones. Weather matters.',
    });
    expect(contribution).toEqual([false, true, true, false]);
  });

  it('tells a paper about the topic from one that mentions it in passing', () => {
    const about = signalsOf(
      'Robot Manipulation with Tactile Sensing',
      'Robots fail at grasping. We propose a robot hand for manipulation. It handles 30 objects.',
    );
    const passing = signalsOf(
      'Scaling Laws for Language Models',
      'Language models improve with scale. We fit laws. Such laws may one day guide robot design.',
    );
    expect(about).toMatchObject({ title: 1, contribution: 1, first: 1 });
    expect(about.share).toBeCloseTo(2 / 3);
    expect(passing).toMatchObject({ title: 0, contribution: 0, first: 0 });
    expect(passing.share).toBeCloseTo(1 / 3);
    for (const signal of ['evidence', 'strongEvidence', 'density', 'core'] as const) {
      expect(about[signal], signal).toBeGreaterThan(passing[signal]);
    }
    expect(Object.keys(about).sort()).toEqual([...TOPIC_SIGNALS].sort());
  });

  it('gives zeros to a paper without any evidence, and z-scores evidence among the papers', () => {
    const none = signalsOf('Protein Folding', 'We predict structures.');
    expect(Object.values(none).every((value) => value === 0)).toBe(true);
    const rows = [1, 2, 3].map((evidence) => ({ evidence, relative: 9 }) as Record<TopicSignal, number>);
    setRelative(rows);
    expect(rows.map((row) => row.relative)).toEqual([-Math.sqrt(1.5), 0, Math.sqrt(1.5)]);
    const same = [{ evidence: 2 }, { evidence: 2 }] as Record<TopicSignal, number>[];
    setRelative(same);
    expect(same.map((row) => row.relative)).toEqual([0, 0]);
  });
});
