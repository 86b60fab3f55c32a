import type { Paper } from '../corpus/paper.ts';
import { hasCode, PaperbotError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { tokenize } from '../retrieval/tokenize.ts';
import {
  documentFrequencies,
  expandEvidence,
  findTopicProfile,
  freeTextEvidence,
  paperText,
  profileEvidence,
  type TopicEvidence,
} from './topic-evidence.ts';
import { JUDGE_CANDIDATE_SCORE, judgeTopic, type TopicJudge, type TopicVerdictCache } from './topic-judge.ts';
import { type TopicModel, topicModel, topicScore } from './topic-model.ts';
import { paperSentences, setRelative, type TopicSignal, topicSignals } from './topic-signals.ts';
import { topicWordUnits, wordBackground, wordSignals, wordText } from './topic-words.ts';
import type { TopicFilter } from './types.ts';

/**
 * Default minimum topic score (0..1). A score of 0.5 is the topic model's calibrated cut, chosen
 * leave-one-topic-out on the FIT topics of the labelled set (`tests/fixtures/topics/`).
 */
export const DEFAULT_TOPIC_THRESHOLD = 0.5;

/** Corpus-derived expansion of free-text topics (chosen among a few settings on FIT; see `expandEvidence`). */
const EXPANSION = { seedScore: 0.7, weight: 0.3, terms: 10, minSeeds: 3 } as const;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A case-insensitive whole-word matcher; `retriev*` style prefixes are allowed with a trailing `*`. */
function keywordPattern(keyword: string): RegExp {
  const trimmed = keyword.trim();
  const prefix = trimmed.endsWith('*');
  const body = escapeRegExp(prefix ? trimmed.slice(0, -1) : trimmed).replace(/\s+/g, '[\\s-]+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}${prefix ? '' : '(?![\\p{L}\\p{N}])'}`, 'iu');
}

function searchableText(paper: Paper): string {
  return [paper.title, paper.abstract, ...(paper.aiKeywords ?? [])].join('\n');
}

/** True when the title, abstract or feed keywords mention any keyword (whole words, any case). */
export function matchesKeywords(paper: Paper, keywords: readonly string[]): boolean {
  const text = searchableText(paper);
  return keywords.some((keyword) => keyword.trim() !== '' && keywordPattern(keyword).test(text));
}

/** Why a topic filter cannot work (its TOPIC_INVALID message), or undefined when it can. */
export function topicFilterProblem(topic: TopicFilter): string | undefined {
  try {
    validateTopicFilter(topic);
    return undefined;
  } catch (error) {
    if (hasCode(error, 'TOPIC_INVALID')) return (error as Error).message;
    throw error;
  }
}

/** Throws `TOPIC_INVALID` when a filter can match nothing by construction. */
export function validateTopicFilter(topic: TopicFilter): void {
  const keywords = (topic.keywords ?? []).filter((keyword) => keyword.trim() !== '');
  if (keywords.length === 0 && !topic.query?.trim()) {
    throw new PaperbotError('TOPIC_INVALID', 'A topic filter needs "keywords" (non-empty) or a "query".');
  }
  if (topic.query?.trim() && tokenize(topic.query).length === 0) {
    throw new PaperbotError(
      'TOPIC_INVALID',
      `Topic "${topic.query.trim()}" has no content words (only stopwords or punctuation); name the subject, e.g. "speech recognition".`,
    );
  }
  if (topic.threshold !== undefined && !(topic.threshold >= 0 && topic.threshold <= 1)) {
    throw new PaperbotError('TOPIC_INVALID', `Topic threshold ${topic.threshold} is outside 0..1.`);
  }
}

/** How a topic text was matched, with each paper's signals and score (0..1), in the order of `papers`. */
export interface TopicScores {
  evidence: TopicEvidence;
  /** Per paper, every signal of `TOPIC_SIGNALS`. */
  signals: Record<TopicSignal, number>[];
  scores: number[];
}

/**
 * The evidence for a topic text over `papers` and each paper's signals: a known topic
 * (`topic-profiles.ts`) on its phrases, any other text on its own words weighted by IDF over
 * `papers`, expanded with the words most over-represented in the papers those words already find
 * (the `evidence` signal: what the LLM judge's candidates rest on for free text); and, for any
 * topic, the `words*` signals of the topic's own words (`topic-words.ts`, IDF over `papers` and the
 * bundled corpus), what the free-text model reads. For evaluation, `freeText` forces the
 * free-text path and `expand: false` leaves the expansion out.
 */
export function topicSignalsOf(
  papers: readonly Paper[],
  query: string,
  options: { freeText?: boolean; expand?: boolean } = {},
): Omit<TopicScores, 'scores'> {
  const texts = papers.map(paperText);
  const profile = options.freeText ? undefined : findTopicProfile(query);
  let evidence: TopicEvidence;
  if (profile) {
    evidence = profileEvidence(query, profile);
  } else {
    const frequencies = documentFrequencies(texts);
    evidence = freeTextEvidence(query, frequencies);
    if (options.expand !== false) evidence = expandEvidence(evidence, texts, frequencies, EXPANSION);
  }
  const wordTexts = papers.map(wordText);
  const units = topicWordUnits(query, wordBackground(papers, wordTexts));
  const signals = papers.map((paper, index) =>
    topicSignals(
      paperSentences(paper),
      evidence,
      texts[index]?.abstract,
      wordSignals(wordTexts[index] as (typeof wordTexts)[number], units),
    ),
  );
  setRelative(signals);
  return { evidence, signals };
}

/**
 * Scores papers for a topic text: `topicSignalsOf`, combined by the fitted topic model
 * (`index/topic-model.json`, `scripts/fit-topic-filter.ts`): its profile part for a known topic,
 * its free-text part otherwise. A score of 0.5 is the calibrated cut (`topicScore`).
 */
export function scoreTopic(
  papers: readonly Paper[],
  query: string,
  options: { freeText?: boolean; expand?: boolean; model?: TopicModel } = {},
): TopicScores {
  const { evidence, signals } = topicSignalsOf(papers, query, options);
  const model = options.model ?? topicModel();
  const logistic = evidence.profile ? model.profile : model.freeText;
  return { evidence, signals, scores: signals.map((values) => topicScore(logistic, values)) };
}

/**
 * Whether the LLM judge is asked about a paper: for a known topic when its score reaches `cut`;
 * for free text also when it holds any evidence of the topic (its own words or their expansion),
 * since the free-text score, built for precision, leaves many on-topic papers low.
 */
export function isJudgeCandidate(scored: TopicScores, index: number, cut: number): boolean {
  if ((scored.scores[index] ?? 0) >= cut) return true;
  return scored.evidence.profile === undefined && (scored.signals[index]?.evidence ?? 0) > 0;
}

/** What `filterByTopic` may use besides the offline score. */
export interface TopicFilterOptions {
  logger?: Logger;
  /**
   * Decides the papers the offline score is unsure of (`isJudgeCandidate`: score from
   * `JUDGE_CANDIDATE_SCORE`, or the threshold when lower, upwards; for free text also any paper
   * with evidence of the topic); without it the offline score decides alone.
   */
  judge?: TopicJudge;
  /** The judge's remembered verdicts, so the same (topic, paper) is asked once. */
  verdicts?: TopicVerdictCache;
}

/**
 * Keeps the papers on a topic, in their original order: papers mentioning a keyword (whole words),
 * or whose `scoreTopic` for `query` reaches the threshold (default `DEFAULT_TOPIC_THRESHOLD`).
 * With a `judge`, a paper that is no candidate (`isJudgeCandidate` at `JUDGE_CANDIDATE_SCORE`) is
 * dropped without asking and the judge decides the others; a paper the judge could not decide (error,
 * timeout, bad reply) keeps the offline decision. The CLI `trending --topic`, Discord
 * `/trending [topic]`, `/subscribe topic:` and scheduled digests all come through here.
 */
export async function filterByTopic(
  papers: readonly Paper[],
  topic: TopicFilter | undefined,
  options: TopicFilterOptions = {},
): Promise<Paper[]> {
  if (!topic) return [...papers];
  validateTopicFilter(topic);
  const keywords = (topic.keywords ?? []).filter((keyword) => keyword.trim() !== '');
  const query = topic.query?.trim();
  const threshold = topic.threshold ?? DEFAULT_TOPIC_THRESHOLD;
  const scored = query ? scoreTopic(papers, query) : undefined;
  if (scored) {
    options.logger?.debug(
      { query, profile: scored.evidence.profile ?? null, phrases: scored.evidence.phrases.length },
      'topic evidence',
    );
  }
  const byKeyword = papers.map((paper) => keywords.length > 0 && matchesKeywords(paper, keywords));
  const score = (index: number) => scored?.scores[index] ?? 0;
  let verdicts = new Map<string, boolean>();
  const cut = Math.min(JUDGE_CANDIDATE_SCORE, threshold);
  if (options.judge && query && scored) {
    const candidates = papers.filter((_, index) => !byKeyword[index] && isJudgeCandidate(scored, index, cut));
    verdicts = await judgeTopic(options.judge, query, candidates, {
      cache: options.verdicts,
      logger: options.logger,
    });
  }
  return papers.filter((paper, index) => {
    if (byKeyword[index]) return true;
    if (scored === undefined) return false;
    const verdict = verdicts.get(paper.id);
    if (verdict !== undefined) return verdict;
    return score(index) >= threshold;
  });
}
