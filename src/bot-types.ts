import type { Answer, ConversationTurn } from './answering/answerer.ts';
import type { SearchHit, SearchOptions } from './retrieval/types.ts';
import type { Digest, TopicFilter } from './trending/types.ts';

/** Longest question or query the core accepts, in characters. */
export const MAX_QUESTION_LENGTH = 2_000;

export interface AskOptions {
  /** Earlier turns of the conversation, oldest first. */
  history?: ConversationTurn[];
  signal?: AbortSignal;
}

export interface TrendingOptions {
  /** Daily-Papers day `YYYY-MM-DD`; default: the newest day in the store. */
  date?: string;
  topic?: TopicFilter;
  /** Number of papers (default 5). */
  limit?: number;
  /** Papers to leave out (already posted to the destination). */
  excludePaperIds?: ReadonlySet<string>;
}

/**
 * The core as adapters see it: plain data in and out. Throws PaperbotError with code
 * `QUESTION_EMPTY` or `QUESTION_TOO_LONG` for unusable input; adapters turn those into usage text.
 */
export interface Bot {
  /** Answers a question from the corpus, with citations, or declines. */
  ask(question: string, options?: AskOptions): Promise<Answer>;
  /** Ranked papers for a query. */
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  /** The trending digest of a day (preview or to post). */
  trendingDigest(options?: TrendingOptions): Promise<Digest>;
  /** Papers in the store (asynchronous: with PostgreSQL it asks the database). */
  paperCount(): Promise<number>;
}
