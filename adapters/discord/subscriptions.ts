import type { Clock } from '../../src/clock.ts';
import type { SqliteDatabase } from '../../src/storage/database.ts';
import { cronError, isTimeZone } from '../../src/trending/destinations.ts';
import { MAX_DIGEST_LIMIT } from '../../src/trending/trending-service.ts';

/** Schedule of a `/subscribe` without `cron:` or `hour:`: weekdays at 09:00. */
export const DEFAULT_CRON = '0 9 * * 1-5';
export const DEFAULT_TIME_ZONE = 'UTC';

/** The options of `/subscribe`, as typed by the member. */
export interface SubscribeRequest {
  channelId: string;
  userId: string;
  topic?: string | null;
  timeZone?: string | null;
  hour?: number | null;
  cron?: string | null;
  limit?: number | null;
}

/** A validated row of the `subscriptions` table. */
export interface Subscription {
  destinationId: string;
  channelId: string;
  cron: string;
  timeZone: string;
  topic?: string;
  limit?: number;
  createdBy: string;
}

/** The digest destination id of a Discord channel. */
export function destinationIdOf(channelId: string): string {
  return `discord:${channelId}`;
}

/** Validates `/subscribe` options: a subscription, or a message saying what to fix. */
export function parseSubscribe(request: SubscribeRequest): Subscription | { problem: string } {
  const cron = request.cron?.trim();
  const timeZone = request.timeZone?.trim() || DEFAULT_TIME_ZONE;
  if (cron && request.hour !== undefined && request.hour !== null) {
    return { problem: 'Give either `hour:` or `cron:`, not both.' };
  }
  if (
    request.hour !== undefined &&
    request.hour !== null &&
    !(Number.isInteger(request.hour) && request.hour >= 0 && request.hour <= 23)
  ) {
    return { problem: `\`hour:\` must be a whole hour from 0 to 23 (got ${request.hour}).` };
  }
  if (cron && cronError(cron)) {
    return {
      problem:
        '`cron:` is not a valid cron expression: use five fields, e.g. `0 9 * * 1-5` (09:00 on weekdays).',
    };
  }
  if (!isTimeZone(timeZone)) {
    return {
      problem:
        '`time_zone:` is not an IANA time zone: use a name like `Europe/Berlin` or `America/New_York`.',
    };
  }
  const limit = request.limit ?? undefined;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= MAX_DIGEST_LIMIT)) {
    return { problem: `\`limit:\` must be from 1 to ${MAX_DIGEST_LIMIT}.` };
  }
  const topic = request.topic?.trim() || undefined;
  return {
    destinationId: destinationIdOf(request.channelId),
    channelId: request.channelId,
    cron:
      cron ||
      (request.hour !== undefined && request.hour !== null ? `0 ${request.hour} * * 1-5` : DEFAULT_CRON),
    timeZone,
    ...(topic ? { topic } : {}),
    ...(limit !== undefined ? { limit } : {}),
    createdBy: request.userId,
  };
}

/** Creates or replaces the channel's subscription (the digest engine re-reads the table every tick). */
export function saveSubscription(database: SqliteDatabase, subscription: Subscription, clock: Clock): void {
  database
    .prepare(
      `INSERT OR REPLACE INTO subscriptions
         (destination_id, platform, channel_id, cron, time_zone, topic, item_limit, created_by, created_at)
       VALUES (?, 'discord', ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      subscription.destinationId,
      subscription.channelId,
      subscription.cron,
      subscription.timeZone,
      subscription.topic ?? null,
      subscription.limit ?? null,
      subscription.createdBy,
      new Date(clock.now()).toISOString(),
    );
}

/** Deletes the channel's subscription; false when it had none. */
export function removeSubscription(database: SqliteDatabase, channelId: string): boolean {
  return (
    database.prepare('DELETE FROM subscriptions WHERE destination_id = ?').run(destinationIdOf(channelId))
      .changes > 0
  );
}
