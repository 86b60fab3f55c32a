import { readFileSync } from 'node:fs';
import { Cron } from 'croner';
import { z } from 'zod';
import { PaperbotError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Subscription } from './subscriptions.ts';
import { MAX_DIGEST_LIMIT } from './trending-service.ts';
import type { DigestDestination, TopicFilter } from './types.ts';

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The croner parse error for `cron`, or undefined when it is a valid expression. */
export function cronError(cron: string): string | undefined {
  try {
    new Cron(cron, { paused: true });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const topicSchema = z
  .object({
    keywords: z.array(z.string().trim().min(1)).min(1).optional(),
    query: z.string().trim().min(1).optional(),
    threshold: z.number().min(0).max(1).optional(),
  })
  .strict()
  .refine((topic) => topic.keywords !== undefined || topic.query !== undefined, {
    message: 'a topic needs "keywords" or "query"',
  });

const destinationSchema = z
  .object({
    id: z.string().trim().min(1),
    platform: z.enum(['discord', 'slack']),
    channelId: z.string().trim().min(1),
    teamId: z.string().trim().min(1).optional(),
    cron: z
      .string()
      .trim()
      .refine((cron) => cronError(cron) === undefined, {
        message: 'not a valid cron expression (five fields, e.g. "0 9 * * 1-5")',
      }),
    timeZone: z
      .string()
      .trim()
      .refine(isTimeZone, { message: 'not an IANA time zone (e.g. "Europe/Berlin")' }),
    topic: topicSchema.optional(),
    limit: z.number().int().min(1).max(MAX_DIGEST_LIMIT).optional(),
    emptyNote: z.string().trim().min(1).optional(),
  })
  .strict();

const digestConfigSchema = z
  .object({ destinations: z.array(destinationSchema) })
  .strict()
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.destinations.forEach((destination, index) => {
      if (seen.has(destination.id)) {
        context.addIssue({
          code: 'custom',
          path: ['destinations', index, 'id'],
          message: `duplicate id "${destination.id}"`,
        });
      }
      seen.add(destination.id);
    });
  });

/**
 * Parses the digest config (`PAPERBOT_DIGEST_CONFIG`):
 * `{ "destinations": [ { id, platform, channelId, cron, timeZone, topic?, limit?, emptyNote? } ] }`.
 * Throws `DIGEST_CONFIG_INVALID` listing every problem with its JSON path.
 */
export function parseDigestConfig(json: unknown, source = 'digest config'): DigestDestination[] {
  const parsed = digestConfigSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new PaperbotError(
      'DIGEST_CONFIG_INVALID',
      `Invalid ${source}:\n${lines.join('\n')}\nExpected { "destinations": [ { "id", "platform": "discord"|"slack", "channelId", "cron", "timeZone", "topic"?, "limit"?, "emptyNote"? } ] }.`,
    );
  }
  return parsed.data.destinations.map((destination) => {
    const { topic, ...rest } = destination;
    return topic ? { ...rest, topic: topic as TopicFilter } : rest;
  });
}

/** Reads and parses the digest config file. Throws `DIGEST_CONFIG_INVALID` when unreadable or invalid. */
export function readDigestConfig(path: string): DigestDestination[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PaperbotError(
      'DIGEST_CONFIG_INVALID',
      `Cannot read the digest config ${path} (PAPERBOT_DIGEST_CONFIG): ${(error as Error).message}`,
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PaperbotError(
      'DIGEST_CONFIG_INVALID',
      `The digest config ${path} (PAPERBOT_DIGEST_CONFIG) is not JSON: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return parseDigestConfig(json, `digest config ${path} (PAPERBOT_DIGEST_CONFIG)`);
}

/** A subscription's topic column: a JSON TopicFilter, or plain text used as the topic query. */
export function parseSubscriptionTopic(text: string | null): TopicFilter | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  if (trimmed.startsWith('{')) {
    const parsed = topicSchema.safeParse(
      (() => {
        try {
          return JSON.parse(trimmed);
        } catch {
          return undefined;
        }
      })(),
    );
    if (parsed.success) return parsed.data as TopicFilter;
  }
  return { query: trimmed };
}

/**
 * The digest destinations of `/subscribe` subscriptions. Ones that would not schedule (unknown
 * platform, bad cron or zone) are skipped with a warning rather than stopping the bot.
 */
export function subscriptionDestinations(
  subscriptions: readonly Subscription[],
  logger?: Logger,
): DigestDestination[] {
  const destinations: DigestDestination[] = [];
  for (const subscription of subscriptions) {
    const { platform } = subscription as { platform: string };
    const problem =
      platform !== 'discord' && platform !== 'slack'
        ? `unknown platform "${platform}"`
        : (cronError(subscription.cron) ??
          (isTimeZone(subscription.timeZone) ? undefined : `unknown time zone "${subscription.timeZone}"`));
    if (problem) {
      logger?.warn(
        { destinationId: subscription.destinationId, problem },
        'skipping an invalid digest subscription',
      );
      continue;
    }
    const topic = parseSubscriptionTopic(subscription.topic ?? null);
    destinations.push({
      id: subscription.destinationId,
      platform: subscription.platform,
      channelId: subscription.channelId,
      ...(subscription.teamId ? { teamId: subscription.teamId } : {}),
      cron: subscription.cron,
      timeZone: subscription.timeZone,
      ...(topic ? { topic } : {}),
      ...(subscription.limit ? { limit: Math.min(Math.max(1, subscription.limit), MAX_DIGEST_LIMIT) } : {}),
    });
  }
  return destinations;
}

/**
 * Every digest destination: the config file's and the subscriptions'. The config file wins
 * when both name the same id.
 */
export function mergeDestinations(
  fromFile: readonly DigestDestination[],
  fromTable: readonly DigestDestination[],
): DigestDestination[] {
  const ids = new Set(fromFile.map((destination) => destination.id));
  return [...fromFile, ...fromTable.filter((destination) => !ids.has(destination.id))];
}
