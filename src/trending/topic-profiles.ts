import { FIT_TOPIC_PROFILES } from './topic-profiles-fit.ts';
import { REPORT_TOPIC_PROFILES } from './topic-profiles-report.ts';

/**
 * Known topics: a short description and the phrases that are evidence for each. A typed topic that
 * names one of them (its name or an alias, compared as word stems) is matched on this evidence;
 * any other text is matched on evidence built from its own words (`topic-evidence.ts`).
 *
 * Phrases are matched as consecutive word stems of the title and abstract (`tokenize`), so
 * "language models" also matches "language model" and "retrieval-augmented" matches
 * "retrieval augmented". `strong` phrases say the paper is about the topic when they are prominent;
 * `weak` ones only add to other evidence.
 */
export interface TopicProfile {
  /** The canonical topic text. */
  name: string;
  /** Other texts that name the same topic. */
  aliases: readonly string[];
  /** One or two sentences saying what is on the topic (for people; `fit-topic-filter --embeddings` embeds it). */
  description: string;
  /** Phrases that on their own say the paper is about the topic. */
  strong: readonly string[];
  /** Phrases that support other evidence. */
  weak: readonly string[];
}

/** Every known topic: the five FIT ones (written with their papers in view), then the five REPORT ones (written blind). */
export const TOPIC_PROFILES: readonly TopicProfile[] = [...FIT_TOPIC_PROFILES, ...REPORT_TOPIC_PROFILES];
