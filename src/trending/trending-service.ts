import type { TrendingOptions } from '../bot-types.ts';
import { type Clock, systemClock } from '../clock.ts';
import { paperLinks } from '../corpus/paper.ts';
import { PaperbotError } from '../errors.ts';
import { type Logger, silentLogger } from '../logger.ts';
import type { Retriever } from '../retrieval/types.ts';
import type { SqliteDatabase } from '../storage/database.ts';
import { DEFAULT_DIGEST_LIMIT, DEFAULT_HALF_LIFE_DAYS, rankPapers } from './rank.ts';
import { type Summarizer, shortenAuthors, summarizePaper } from './summarize.ts';
import { filterByTopic } from './topic-filter.ts';
import { type TopicJudge, TopicVerdictCache } from './topic-judge.ts';
import { createTrendingPapers, type TrendingPapers } from './trending-papers.ts';
import type { Digest, DigestItem, TopicFilter } from './types.ts';

/** Largest digest the core builds. */
export const MAX_DIGEST_LIMIT = 50;

export interface TrendingServiceOptions {
  /** The Daily-Papers days of the store (`Stores.trendingPapers`, either backend). */
  papers?: TrendingPapers;
  /** Shorthand for `papers: createTrendingPapers(database)` (the embedded store). */
  database?: SqliteDatabase;
  /** Not used by the topic filter any more (it matches on evidence, see `topic-filter.ts`). */
  retriever?: Retriever;
  /** LLM summaries for papers without a feed summary; extractive when absent or failing. */
  summarizer?: Summarizer;
  /**
   * Decides topic filters where the offline score is unsure (an LLM, wired by the composition
   * root); its verdicts are remembered for the service's lifetime. Offline only when absent.
   */
  topicJudge?: TopicJudge;
  clock?: Clock;
  logger?: Logger;
  /** Half-life of the upvote decay in days (default 3). */
  halfLifeDays?: number;
}

/** Builds trending digests from the store. `trendingDigest` is what `Bot.trendingDigest` delegates to. */
export interface TrendingService {
  /**
   * The digest of one Daily-Papers day (default: the newest in the store). A day with no papers
   * (or none left after exclusions and the topic filter) gives a digest with no items.
   * Throws `TRENDING_DATE_INVALID` or `TRENDING_LIMIT_INVALID` for bad options, `TOPIC_INVALID`
   * for an empty topic filter.
   */
  trendingDigest(options?: TrendingOptions): Promise<Digest>;
  /** The newest Daily-Papers day `YYYY-MM-DD` (at or before `onOrBefore`), or undefined. */
  newestDay(onOrBefore?: string): Promise<string | undefined>;
  /** The store reader, shared with the scheduler. */
  readonly papers: TrendingPapers;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Throws `TRENDING_DATE_INVALID` unless `date` is a real `YYYY-MM-DD` day. */
export function assertDay(date: string): void {
  const parsed = new Date(`${date}T00:00:00Z`);
  if (!DATE.test(date) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw new PaperbotError('TRENDING_DATE_INVALID', `Date "${date}" is not a day in the form YYYY-MM-DD.`);
  }
}

function describeTopic(topic: TopicFilter | undefined): string {
  if (!topic) return '';
  const text = topic.query?.trim() || (topic.keywords ?? []).filter((keyword) => keyword.trim()).join(', ');
  return text ? ` on "${text}"` : '';
}

export function createTrendingService(options: TrendingServiceOptions): TrendingService {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger();
  const papers = options.papers ?? (options.database ? createTrendingPapers(options.database) : undefined);
  if (!papers) throw new Error('createTrendingService needs `papers` (or `database`)');
  const verdicts = new TopicVerdictCache();

  return {
    papers,
    newestDay: (onOrBefore) => papers.newestDay(onOrBefore),
    async trendingDigest(request = {}) {
      const limit = request.limit ?? DEFAULT_DIGEST_LIMIT;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DIGEST_LIMIT) {
        throw new PaperbotError(
          'TRENDING_LIMIT_INVALID',
          `Limit ${limit} is not a whole number from 1 to ${MAX_DIGEST_LIMIT}.`,
        );
      }
      if (request.date !== undefined) assertDay(request.date);
      const date =
        request.date ?? (await papers.newestDay()) ?? new Date(clock.now()).toISOString().slice(0, 10);
      const title = `Trending papers${describeTopic(request.topic)} · ${date}`;
      const candidates = (await papers.papersBetween(date, date)).filter(
        (paper) => !request.excludePaperIds?.has(paper.id),
      );
      const onTopic = await filterByTopic(candidates, request.topic, {
        logger,
        judge: options.topicJudge,
        verdicts,
      });
      const ranked = rankPapers(onTopic, {
        limit,
        halfLifeDays: options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS,
      });
      const items = await Promise.all(
        ranked.map(async ({ paper, rank, score }): Promise<DigestItem> => {
          const { summary } = await summarizePaper(paper, { summarizer: options.summarizer, logger });
          const authors = shortenAuthors(paper.authors);
          return {
            rank,
            paperId: paper.id,
            title: paper.title.replace(/\s+/g, ' ').trim(),
            summary,
            links: paperLinks(paper),
            score,
            ...(paper.upvotes === undefined ? {} : { upvotes: paper.upvotes }),
            ...(authors ? { authors } : {}),
          };
        }),
      );
      logger.debug(
        { date, candidates: candidates.length, onTopic: onTopic.length, items: items.length },
        'digest built',
      );
      return { title, date, items };
    },
  };
}
