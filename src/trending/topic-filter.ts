import type { Paper } from '../corpus/paper.ts';
import { PaperbotError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Retriever } from '../retrieval/types.ts';
import type { TopicFilter } from './types.ts';

/** Default minimum dense similarity for a semantic topic query. */
export const DEFAULT_TOPIC_THRESHOLD = 0.3;
/** How many hits to ask the retriever for; the day's papers must be among them to match. */
const SEMANTIC_SEARCH_K = 500;

const STOPWORDS = new Set(
  'a an and are as at be by for from in into is it of on or over the their this to with without about papers paper'.split(
    ' ',
  ),
);

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

/** The content words of a query, used when no retriever is available. */
export function queryTerms(query: string): string[] {
  return query
    .toLowerCase()
    .split(/[^\p{L}\p{N}-]+/u)
    .filter((term) => term.length >= 3 && !STOPWORDS.has(term));
}

/** Throws `TOPIC_INVALID` when a filter can match nothing by construction. */
export function validateTopicFilter(topic: TopicFilter): void {
  const keywords = (topic.keywords ?? []).filter((keyword) => keyword.trim() !== '');
  if (keywords.length === 0 && !topic.query?.trim()) {
    throw new PaperbotError('TOPIC_INVALID', 'A topic filter needs "keywords" (non-empty) or a "query".');
  }
  if (topic.threshold !== undefined && !(topic.threshold >= 0 && topic.threshold <= 1)) {
    throw new PaperbotError('TOPIC_INVALID', `Topic threshold ${topic.threshold} is outside 0..1.`);
  }
}

/**
 * Keeps the papers on a topic, in their original order. A paper matches when it mentions a keyword,
 * or when its dense similarity to `query` (from the same retriever as `search`) reaches the
 * threshold. Papers the retriever does not return (not indexed yet, or no retriever at all) match
 * `query` when they mention every one of its content words.
 */
export async function filterByTopic(
  papers: readonly Paper[],
  topic: TopicFilter | undefined,
  options: { retriever?: Retriever; logger?: Logger; signal?: AbortSignal } = {},
): Promise<Paper[]> {
  if (!topic) return [...papers];
  validateTopicFilter(topic);
  const keywords = (topic.keywords ?? []).filter((keyword) => keyword.trim() !== '');
  const query = topic.query?.trim();
  // Dense similarity of each paper the retriever returned; papers it did not return (not indexed
  // yet, or dense retrieval unavailable) are judged by the query's words instead.
  const similarity = new Map<string, number>();
  if (query && options.retriever) {
    const hits = await options.retriever.search(query, {
      k: SEMANTIC_SEARCH_K,
      mode: 'dense',
      signal: options.signal,
    });
    for (const hit of hits) {
      if (hit.denseScore !== undefined) similarity.set(hit.paper.id, hit.denseScore);
    }
  } else if (query) {
    options.logger?.debug({ query }, 'no retriever for the topic query; matching its words instead');
  }
  const threshold = topic.threshold ?? DEFAULT_TOPIC_THRESHOLD;
  const terms = query ? queryTerms(query) : [];
  const onQuery = (paper: Paper) => {
    if (!query) return false;
    const score = similarity.get(paper.id);
    if (score !== undefined) return score >= threshold;
    return terms.length > 0 && terms.every((term) => matchesKeywords(paper, [term]));
  };
  return papers.filter(
    (paper) => (keywords.length > 0 && matchesKeywords(paper, keywords)) || onQuery(paper),
  );
}
