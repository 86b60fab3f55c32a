import type { PaperLinks } from '../corpus/paper.ts';

/** One paper in a digest. */
export interface DigestItem {
  /** 1-based position. */
  rank: number;
  paperId: string;
  title: string;
  /** One or two sentences. */
  summary: string;
  links: PaperLinks;
  /** Ranking score (higher is better). */
  score: number;
  upvotes?: number;
  /** Shortened author list, e.g. `A. Smith, B. Jones et al.` */
  authors?: string;
}

/** A platform-neutral daily digest; adapters render it within their own limits. */
export interface Digest {
  title: string;
  /** The Daily-Papers day it covers, `YYYY-MM-DD`. */
  date: string;
  items: DigestItem[];
  /** A short note to post instead of items (empty day), when configured. */
  note?: string;
}

/** Where a digest goes: a Discord or Slack channel. */
export interface DigestDestination {
  /** Stable key, e.g. `discord:123456` or `slack:C0123`. */
  id: string;
  platform: 'discord' | 'slack';
  channelId: string;
  /**
   * Slack with OAuth (many workspaces): the team id (`T…`) of the channel's workspace, whose
   * installation's token posts. Unset: the single workspace of `SLACK_BOT_TOKEN`.
   */
  teamId?: string;
  /** Cron expression, e.g. `0 9 * * 1-5`. */
  cron: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  topic?: TopicFilter;
  /** Number of papers (default 5). */
  limit?: number;
  /** Text to post on an empty day; nothing is posted when unset. */
  emptyNote?: string;
}

/** Keeps only papers on a topic: keywords, or a topic text matched on evidence (`topic-filter.ts`). */
export interface TopicFilter {
  keywords?: string[];
  query?: string;
  /** Minimum topic score (0..1) for `query`; default 0.5 (`DEFAULT_TOPIC_THRESHOLD`). */
  threshold?: number;
}

/** What a sender learned from the platform about a digest it posted. */
export interface DigestReceipt {
  /** The posted messages' ids (Discord message ids, Slack `ts`), in order. */
  messageIds: string[];
}

/**
 * Delivers digests to one platform. Implemented by the adapters; the digest engine calls it.
 * `idempotencyKey` must travel with the message (Discord nonce, Slack metadata) so that
 * `wasDelivered` can answer after a crash.
 */
export interface DigestSender {
  readonly platform: 'discord' | 'slack';
  /** Posts the digest; resolves with the posted messages' ids when the platform gives them. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a sender that learns no message id returns nothing
  send(destination: DigestDestination, digest: Digest, idempotencyKey: string): Promise<DigestReceipt | void>;
  /** Asks the platform whether a message carrying `idempotencyKey` already arrived. */
  wasDelivered(destination: DigestDestination, idempotencyKey: string): Promise<boolean>;
}
