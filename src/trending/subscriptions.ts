import { cronError, isTimeZone } from './destinations.ts';
import { topicFilterProblem } from './topic-filter.ts';
import { MAX_DIGEST_LIMIT } from './trending-service.ts';

/** Schedule of a `/subscribe` without `cron:` or `hour:`: weekdays at 09:00. */
export const DEFAULT_CRON = '0 9 * * 1-5';
export const DEFAULT_TIME_ZONE = 'UTC';
/** Longest `topic:` a subscription keeps (Discord's option limit too). */
export const MAX_SUBSCRIPTION_TOPIC_LENGTH = 200;

/** The chat platforms that can subscribe a channel to the digest. */
export type SubscriptionPlatform = 'discord' | 'slack';

/** A channel's digest subscription, made with `/subscribe` in Slack or Discord. */
export interface Subscription {
  /** The digest destination id: `discord:<channel>` or `slack:<channel>` (the key: one per channel). */
  destinationId: string;
  /** Where the channel is. */
  platform: SubscriptionPlatform;
  /** The channel the digest is posted to. */
  channelId: string;
  /** Slack workspace (team) id, so a multi-workspace install finds the token; Discord guild id. */
  teamId?: string;
  /** Cron expression of the posting schedule, e.g. `0 9 * * 1-5`. */
  cron: string;
  /** IANA time zone the cron runs in. */
  timeZone: string;
  /** Text of the topic (a semantic query; a JSON topic filter from older rows is also accepted). */
  topic?: string;
  /** Papers per digest (1..MAX_DIGEST_LIMIT); the digest default when unset. */
  limit?: number;
  /** User id of the member who subscribed. */
  createdBy?: string;
  /** When it was saved (ISO 8601), set by the repository. */
  createdAt?: string;
}

/**
 * The digest subscriptions made from chat, whichever engine stores them (SQLite by default,
 * PostgreSQL with `DATABASE_URL`). One contract suite (`tests/storage/subscription-repository.contract.ts`)
 * runs against both.
 */
export interface SubscriptionRepository {
  /** Adds the subscription, or replaces the one with the same `destinationId`. */
  save(subscription: Subscription, now?: Date): Promise<void>;
  /** Deletes the subscription of `destinationId`; false when there was none. */
  remove(destinationId: string): Promise<boolean>;
  /** Deletes every subscription of a Slack workspace (uninstall); returns the destination ids removed. */
  removeForTeam(teamId: string): Promise<string[]>;
  /** Every subscription, ordered by destination id. */
  list(): Promise<Subscription[]>;
  /** The subscriptions of one channel (at most one today: the key is the channel). */
  listForChannel(platform: SubscriptionPlatform, channelId: string): Promise<Subscription[]>;
}

/** The digest destination id of a channel: `discord:<channel>` or `slack:<channel>`. */
export function subscriptionDestinationId(platform: SubscriptionPlatform, channelId: string): string {
  return `${platform}:${channelId}`;
}

/** The options of `/subscribe`, as the member gave them (any platform). */
export interface SubscribeRequest {
  platform: SubscriptionPlatform;
  channelId: string;
  /** Slack workspace id or Discord guild id. */
  teamId?: string | null;
  userId: string;
  topic?: string | null;
  timeZone?: string | null;
  hour?: number | null;
  cron?: string | null;
  limit?: number | null;
}

/** Why `/subscribe` options were refused, in words for the member, with the option named. */
export interface SubscribeProblem {
  problem: string;
}

const given = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;

/** Validates `/subscribe` options: a subscription to save, or a message saying what to fix. */
export function parseSubscribe(request: SubscribeRequest): Subscription | SubscribeProblem {
  const cron = request.cron?.trim();
  const timeZone = request.timeZone?.trim() || DEFAULT_TIME_ZONE;
  const hour = request.hour;
  if (cron && given(hour)) return { problem: 'Give either `hour:` or `cron:`, not both.' };
  if (given(hour) && !(Number.isInteger(hour) && hour >= 0 && hour <= 23)) {
    return { problem: `\`hour:\` must be a whole hour from 0 to 23 (got ${hour}).` };
  }
  if (cron && cronError(cron)) {
    return {
      problem: `\`cron:\` "${cron}" is not a valid cron expression: use five fields, e.g. \`0 9 * * 1-5\` (09:00 on weekdays).`,
    };
  }
  if (!isTimeZone(timeZone)) {
    return {
      problem: `\`time_zone:\` "${timeZone}" is not an IANA time zone: use a name like \`Europe/Berlin\` or \`America/New_York\`.`,
    };
  }
  const limit = request.limit ?? undefined;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= MAX_DIGEST_LIMIT)) {
    return { problem: `\`limit:\` must be from 1 to ${MAX_DIGEST_LIMIT} (got ${limit}).` };
  }
  const topic = request.topic?.trim() || undefined;
  if (topic && topic.length > MAX_SUBSCRIPTION_TOPIC_LENGTH) {
    return {
      problem: `\`topic:\` is too long (${topic.length} characters, at most ${MAX_SUBSCRIPTION_TOPIC_LENGTH}).`,
    };
  }
  // A topic the filter rejects (stopwords only) would fail every digest: refuse it now.
  const topicProblem = topic ? topicFilterProblem({ query: topic }) : undefined;
  if (topicProblem) return { problem: `\`topic:\` ${topicProblem}` };
  const teamId = request.teamId?.trim() || undefined;
  return {
    destinationId: subscriptionDestinationId(request.platform, request.channelId),
    platform: request.platform,
    channelId: request.channelId,
    ...(teamId ? { teamId } : {}),
    cron: cron || (given(hour) ? `0 ${hour} * * 1-5` : DEFAULT_CRON),
    timeZone,
    ...(topic ? { topic } : {}),
    ...(limit !== undefined ? { limit } : {}),
    createdBy: request.userId,
  };
}
