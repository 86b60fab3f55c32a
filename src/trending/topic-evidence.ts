import type { Paper } from '../corpus/paper.ts';
import { tokenize } from '../retrieval/tokenize.ts';
import { TOPIC_PROFILES, type TopicProfile } from './topic-profiles.ts';

/** One phrase that is evidence for a topic, as word stems. */
export interface EvidencePhrase {
  /** The phrase as written. */
  text: string;
  /** Its word stems (`tokenize`), matched consecutively. */
  stems: string[];
  /** What one prominent mention adds to the score. */
  weight: number;
}

/** What a topic is matched on. */
export interface TopicEvidence {
  /** The topic as typed. */
  topic: string;
  /** The known profile it names, when it names one. */
  profile?: string;
  /** What the topic covers, in words (the profile's description, or the topic text). */
  description: string;
  phrases: EvidencePhrase[];
}

/** A paper's title and abstract as word stems. */
export interface PaperText {
  title: string[];
  abstract: string[];
}

/** How many papers of a collection contain each stem. */
export interface DocumentFrequencies {
  size: number;
  frequency(stem: string): number;
}

/** Weights of the evidence; fitted on the FIT topics of the labelled set. */
export interface EvidenceWeights {
  /** A profile's strong phrase, and a free-text topic's whole phrase. */
  strong: number;
  /** A profile's weak phrase. */
  weak: number;
  /** Share of `strong` that all the words of a free-text topic add together (split by IDF). */
  words: number;
  /** A title mention counts as this many abstract mentions. */
  title: number;
}

/** Fitted on the FIT topics (weak 0.1-1 and title 2-8 tried; see README "Topic filter"). */
export const DEFAULT_EVIDENCE_WEIGHTS: EvidenceWeights = { strong: 1, weak: 0.5, words: 0.6, title: 3 };

/**
 * Title and abstract as stems, hyphenated words also joined ("on-policy" gives "onpolici", "polici"),
 * as `tokenize` does. Feed keywords are left out: the labelled set has none.
 */
export function paperText(paper: Paper): PaperText {
  return { title: tokenize(paper.title), abstract: tokenize(paper.abstract) };
}

/**
 * The stems of an evidence phrase, one per word: a hyphenated word whose parts would lose a
 * stopword or a letter ("on-policy", "Q-learning") is matched as its joined form.
 */
export function phraseStems(text: string): string[] {
  return text
    .split(/\s+/)
    .filter((word) => word !== '')
    .flatMap((word) => {
      const parts = tokenize(word, false);
      const whole = word.split('-').filter((part) => /[\p{L}\p{N}]/u.test(part));
      return parts.length < whole.length && word.includes('-') ? tokenize(word).slice(0, 1) : parts;
    });
}

/** The document frequencies of the stems of `texts`. */
export function documentFrequencies(texts: readonly PaperText[]): DocumentFrequencies {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const stem of new Set([...text.title, ...text.abstract]))
      counts.set(stem, (counts.get(stem) ?? 0) + 1);
  }
  return { size: texts.length, frequency: (stem) => counts.get(stem) ?? 0 };
}

/** Inverse document frequency (BM25 form, always positive). */
export function inverseFrequency(stem: string, frequencies: DocumentFrequencies): number {
  const df = frequencies.frequency(stem);
  return Math.log(1 + (frequencies.size - df + 0.5) / (df + 0.5));
}

/** Occurrences of `stems` as consecutive tokens. */
export function countPhrase(tokens: readonly string[], stems: readonly string[]): number {
  if (stems.length === 0) return 0;
  let count = 0;
  for (let start = 0; start + stems.length <= tokens.length; start += 1) {
    if (stems.every((stem, offset) => tokens[start + offset] === stem)) count += 1;
  }
  return count;
}

const stemKey = (text: string) => [...new Set(tokenize(text, false))].sort().join(' ');

/** The known profile a topic text names (its name or an alias, as a set of stems), if any. */
export function findTopicProfile(topic: string): TopicProfile | undefined {
  const key = stemKey(topic);
  if (key === '') return undefined;
  return TOPIC_PROFILES.find((profile) =>
    [profile.name, ...profile.aliases].some((name) => stemKey(name) === key),
  );
}

const phrase = (text: string, weight: number): EvidencePhrase => ({ text, stems: phraseStems(text), weight });

/** The evidence of a known profile. */
export function profileEvidence(
  topic: string,
  profile: TopicProfile,
  weights: EvidenceWeights = DEFAULT_EVIDENCE_WEIGHTS,
): TopicEvidence {
  return {
    topic,
    profile: profile.name,
    description: profile.description,
    phrases: [
      ...profile.strong.map((text) => phrase(text, weights.strong)),
      ...profile.weak.map((text) => phrase(text, weights.weak)),
    ].filter((entry) => entry.stems.length > 0),
  };
}

/**
 * The evidence of any topic text from its own words: the whole phrase is strong evidence, each
 * pair of neighbouring words too, and each word adds a share of `words` by its IDF in `frequencies`
 * (so "learning" in "reinforcement learning" adds little).
 */
export function freeTextEvidence(
  topic: string,
  frequencies: DocumentFrequencies,
  weights: EvidenceWeights = DEFAULT_EVIDENCE_WEIGHTS,
): TopicEvidence {
  const stems = [...new Set(tokenize(topic, false))];
  const phrases: EvidencePhrase[] = [];
  if (stems.length > 1) phrases.push({ text: topic, stems, weight: weights.strong });
  if (stems.length > 2) {
    for (let index = 0; index + 1 < stems.length; index += 1) {
      const pair = stems.slice(index, index + 2);
      phrases.push({ text: pair.join(' '), stems: pair, weight: weights.strong });
    }
  }
  const idf = stems.map((stem) => inverseFrequency(stem, frequencies));
  const total = idf.reduce((sum, value) => sum + value, 0);
  stems.forEach((stem, index) => {
    const weight =
      stems.length === 1 ? weights.strong : (weights.strong * weights.words * (idf[index] ?? 0)) / total;
    phrases.push({ text: stem, stems: [stem], weight });
  });
  return { topic, description: topic, phrases };
}

/** The evidence for a topic text: its known profile when it names one, else its own words. */
export function topicEvidence(
  topic: string,
  frequencies: DocumentFrequencies,
  weights: EvidenceWeights = DEFAULT_EVIDENCE_WEIGHTS,
): TopicEvidence {
  const profile = findTopicProfile(topic);
  return profile ? profileEvidence(topic, profile, weights) : freeTextEvidence(topic, frequencies, weights);
}

/**
 * The evidence of a paper for a topic: per phrase, its weight times log2(1 + mentions), a title
 * mention counting as `weights.title` abstract mentions; summed over the phrases.
 */
export function evidenceScore(
  text: PaperText,
  evidence: TopicEvidence,
  weights: EvidenceWeights = DEFAULT_EVIDENCE_WEIGHTS,
): number {
  let score = 0;
  for (const entry of evidence.phrases) {
    const mentions =
      countPhrase(text.abstract, entry.stems) + weights.title * countPhrase(text.title, entry.stems);
    if (mentions > 0) score += entry.weight * Math.log2(1 + mentions);
  }
  return score;
}

/**
 * Corpus-derived expansion of a free-text topic (pseudo-relevance feedback): the stems most
 * over-represented in the papers that already reach `seedScore` (at least `minSeeds` of them) are
 * added as supporting evidence of weight `weight`, at most `terms` of them.
 */
export function expandEvidence(
  evidence: TopicEvidence,
  texts: readonly PaperText[],
  frequencies: DocumentFrequencies,
  options: { seedScore: number; weight: number; terms?: number; minSeeds?: number },
): TopicEvidence {
  const seeds = texts.filter((text) => evidenceScore(text, evidence) >= options.seedScore);
  if (seeds.length < (options.minSeeds ?? 3)) return evidence;
  const known = new Set(evidence.phrases.flatMap((entry) => entry.stems));
  const inSeeds = documentFrequencies(seeds);
  const candidates = new Set(seeds.flatMap((text) => [...text.title, ...text.abstract]));
  const ranked = [...candidates]
    .filter((stem) => !known.has(stem) && inSeeds.frequency(stem) >= Math.max(2, seeds.length * 0.3))
    .map((stem) => {
      const share = inSeeds.frequency(stem) / seeds.length;
      const background = (frequencies.frequency(stem) + 1) / (frequencies.size + 1);
      return { stem, gain: share * Math.log(share / background) };
    })
    .filter((entry) => entry.gain > 0)
    .sort((left, right) => right.gain - left.gain)
    .slice(0, options.terms ?? 10);
  return {
    ...evidence,
    phrases: [
      ...evidence.phrases,
      ...ranked.map(({ stem }) => ({ text: stem, stems: [stem], weight: options.weight })),
    ],
  };
}
