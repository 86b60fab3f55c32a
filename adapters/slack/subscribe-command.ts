import type { App, RespondFn } from '@slack/bolt';
import { describeError } from '../../src/errors.ts';
import {
  parseSubscribe,
  type SubscribeProblem,
  type SubscribeRequest,
  subscriptionDestinationId,
} from '../../src/trending/subscriptions.ts';
import { failureNotice } from '../shared/failure-notice.ts';
import type { HandlerContext } from './handler-context.ts';
import { escapeMrkdwn, plainFromSlack, safeText } from './mrkdwn.ts';

/** How `/subscribe` is used, shown with every refusal of its options. */
export const SUBSCRIBE_USAGE =
  'Usage: `/subscribe [topic: <words>] [hour: <0-23>] [time_zone: <IANA zone>] [cron: <five fields>] [limit: <1-50>]`, ' +
  'e.g. `/subscribe topic: reinforcement learning hour: 9 time_zone: Europe/Berlin`. ' +
  'Without options this channel gets the digest on weekdays at 09:00 UTC; give `hour:` or `cron:`, not both. ' +
  '`/unsubscribe` stops it.';

/** The options of `/subscribe`, by the names Discord uses too (`timezone` is accepted for `time_zone`). */
const OPTION = /(?:^|\s)(topic|time_zone|timezone|hour|cron|limit)\s*:/gi;

type Options = Pick<SubscribeRequest, 'topic' | 'timeZone' | 'hour' | 'cron' | 'limit'>;

/** A whole number option (`hour:`, `limit:`), or a problem naming the option and the value. */
function wholeNumber(name: string, value: string): number | SubscribeProblem {
  if (/^\d{1,4}$/.test(value)) return Number(value);
  return { problem: `\`${name}:\` must be a whole number (got "${value}").` };
}

/**
 * Parses `/subscribe` text in Slack's form, `topic: reinforcement learning hour: 9
 * time_zone: Europe/Berlin`: each option name followed by a colon, its value up to the next
 * option. Returns the options, or a problem naming what is wrong (unknown text, an option given
 * twice or empty, a number that is not one). The values are validated by the core's `parseSubscribe`.
 */
export function parseSubscribeText(text: string): Options | SubscribeProblem {
  const matches = [...text.matchAll(OPTION)];
  const leading = text.slice(0, matches[0]?.index ?? text.length).trim();
  if (leading) {
    return {
      problem: `"${leading}" is not an option: start each one with its name and a colon, e.g. \`topic: robotics\`.`,
    };
  }
  const values = new Map<string, string>();
  for (const [position, match] of matches.entries()) {
    const name = match[1]!.toLowerCase() === 'timezone' ? 'time_zone' : match[1]!.toLowerCase();
    const start = match.index + match[0].length;
    const value = text.slice(start, matches[position + 1]?.index ?? text.length).trim();
    if (values.has(name)) return { problem: `\`${name}:\` is given twice.` };
    if (!value) return { problem: `\`${name}:\` has no value.` };
    values.set(name, value);
  }
  const options: Options = {};
  if (values.has('topic')) options.topic = values.get('topic');
  if (values.has('time_zone')) options.timeZone = values.get('time_zone');
  if (values.has('cron')) options.cron = values.get('cron');
  for (const name of ['hour', 'limit'] as const) {
    const value = values.get(name);
    if (value === undefined) continue;
    const number = wholeNumber(name, value);
    if (typeof number !== 'number') return number;
    options[name] = number;
  }
  return options;
}

interface SlashCommand {
  text: string;
  team_id: string;
  channel_id: string;
  user_id: string;
}

async function respondSafely(context: HandlerContext, respond: RespondFn, text: string): Promise<void> {
  try {
    await respond({ response_type: 'ephemeral', text });
  } catch (error) {
    context.logger.error({ component: 'slack', err: error }, 'could not respond');
  }
}

/** Runs the store work of a command after its ack; a failure becomes an apology, never a throw. */
async function afterAck(
  context: HandlerContext,
  command: { name: string; payload: SlashCommand; respond: RespondFn },
  work: () => Promise<string>,
): Promise<void> {
  let text: string;
  try {
    text = await work();
  } catch (error) {
    context.logger.error(
      {
        component: 'slack',
        err: error,
        command: command.name,
        channel: command.payload.channel_id,
        user: command.payload.user_id,
      },
      `slack command failed: ${describeError(error)}`,
    );
    text = failureNotice(error);
  }
  await respondSafely(context, command.respond, text);
}

const UNAVAILABLE = 'Digest subscriptions are not available on this bot (no database).';

/**
 * `/subscribe [options]` saves this channel's digest subscription (destination `slack:<channel>`,
 * with the workspace's team id) and `/unsubscribe` removes it. Bad options are refused in the ack
 * with what to fix and the usage; the confirmation follows through `respond()`, only to the member.
 */
export function registerSubscribeHandlers(app: App, context: HandlerContext): void {
  app.command('/subscribe', async ({ command: payload, ack, respond }) => {
    const subscriptions = context.subscriptions;
    if (!subscriptions) return ack({ response_type: 'ephemeral', text: UNAVAILABLE });
    const options = parseSubscribeText(plainFromSlack(payload.text ?? ''));
    const parsed =
      'problem' in options
        ? options
        : parseSubscribe({
            platform: 'slack',
            channelId: payload.channel_id,
            teamId: payload.team_id,
            userId: payload.user_id,
            ...options,
          });
    if ('problem' in parsed) {
      return ack({ response_type: 'ephemeral', text: `${escapeMrkdwn(parsed.problem)}\n${SUBSCRIBE_USAGE}` });
    }
    await ack();
    await afterAck(context, { name: '/subscribe', payload, respond }, async () => {
      await subscriptions.save(parsed, new Date(context.clock.now()));
      context.logger.info(
        {
          component: 'slack',
          destinationId: parsed.destinationId,
          team: parsed.teamId,
          cron: parsed.cron,
          timeZone: parsed.timeZone,
          user: parsed.createdBy,
        },
        'slack digest subscription saved',
      );
      const about = parsed.topic ? ` on "${safeText(parsed.topic)}"` : '';
      const limit = parsed.limit ? `, ${parsed.limit} papers` : '';
      return (
        `Subscribed: this channel gets the digest${about} on schedule \`${parsed.cron}\` (${parsed.timeZone}${limit}). ` +
        'In a private channel, invite me (`/invite @paperbot`) so I can post. `/unsubscribe` stops it.'
      );
    });
  });

  app.command('/unsubscribe', async ({ command: payload, ack, respond }) => {
    const subscriptions = context.subscriptions;
    if (!subscriptions) return ack({ response_type: 'ephemeral', text: UNAVAILABLE });
    await ack();
    await afterAck(context, { name: '/unsubscribe', payload, respond }, async () => {
      const removed = await subscriptions.remove(subscriptionDestinationId('slack', payload.channel_id));
      return removed
        ? 'Unsubscribed: no more digests in this channel.'
        : 'This channel has no digest subscription.';
    });
  });
}
