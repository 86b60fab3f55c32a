import type { App, webApi } from '@slack/bolt';
import type { ConversationTurn } from '../../src/answering/answerer.ts';
import { describeError, hasCode } from '../../src/errors.ts';
import { failureNotice, isUsageError } from '../shared/failure-notice.ts';
import { renderAnswer, renderNotice, type SlackMessage } from './answer-blocks.ts';
import { type HandlerContext, rateLimitNotice, USAGE, usageProblem } from './handler-context.ts';
import { plainFromSlack } from './mrkdwn.ts';

/** The fields of `message` and `app_mention` events the adapter reads. */
export interface IncomingMessage {
  type: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
}

/** Who the bot is, from `auth.test` (Bolt's context). */
export interface BotIdentity {
  botUserId?: string;
  botId?: string;
}

/** Earlier turns of a thread passed to the core, at most. */
const MAX_HISTORY_TURNS = 20;
/** Subtypes that are still a person writing a new message; all others (edits, deletions, joins) are ignored. */
const ANSWERABLE_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

/** Why a message must not be answered (own, another bot's, an edit/deletion), or undefined. */
export function ignoreReason(message: IncomingMessage, identity: BotIdentity): string | undefined {
  if (message.user && message.user === identity.botUserId) return 'own message';
  if (message.bot_id && message.bot_id === identity.botId) return 'own message';
  if (message.bot_id || message.subtype === 'bot_message') return 'bot message';
  if (!ANSWERABLE_SUBTYPES.has(message.subtype)) return `subtype ${message.subtype}`;
  if (!message.user) return 'no user';
  return undefined;
}

/** Thread messages to turns, oldest first: our bot's become `assistant`, other bots' are dropped. */
export function threadTurns(
  messages: { ts?: string; user?: string; bot_id?: string; text?: string }[],
  currentTs: string,
  identity: BotIdentity,
): ConversationTurn[] {
  const turns: ConversationTurn[] = [];
  for (const message of messages) {
    if (!message.ts || message.ts === currentTs || !message.text) continue;
    if (Number(message.ts) > Number(currentTs)) continue;
    const own = (message.bot_id && message.bot_id === identity.botId) || message.user === identity.botUserId;
    if (!own && message.bot_id) continue;
    const text = plainFromSlack(message.text, identity.botUserId);
    if (text) turns.push({ role: own ? 'assistant' : 'user', text });
  }
  return turns.slice(-MAX_HISTORY_TURNS);
}

async function post(client: webApi.WebClient, channel: string, threadTs: string, message: SlackMessage) {
  await client.chat.postMessage({
    channel,
    thread_ts: threadTs,
    text: message.text,
    blocks: message.blocks,
    unfurl_links: false,
    unfurl_media: false,
  });
}

async function fetchThread(client: webApi.WebClient, channel: string, threadTs: string) {
  const replies = await client.conversations.replies({ channel, ts: threadTs, limit: 100 });
  return replies.messages ?? [];
}

/**
 * Answers `message` in its thread: rate limit, history from `conversations.replies`, the core,
 * Block Kit. With `followUpOnly`, answers only when the bot already spoke in the thread.
 * Never throws: failures become an apology in the thread and an error log line.
 */
async function answerInThread(
  context: HandlerContext,
  client: webApi.WebClient,
  message: IncomingMessage,
  identity: BotIdentity,
  followUpOnly: boolean,
): Promise<void> {
  const threadTs = message.thread_ts ?? message.ts;
  const log = context.logger.child({
    component: 'slack',
    channel: message.channel,
    user: message.user,
    ts: message.ts,
  });
  try {
    let history: ConversationTurn[] = [];
    if (message.thread_ts) {
      try {
        history = threadTurns(
          await fetchThread(client, message.channel, message.thread_ts),
          message.ts,
          identity,
        );
      } catch (error) {
        log.warn({ err: error }, 'could not read the thread; answering without history');
        if (followUpOnly) return;
      }
      if (followUpOnly && !history.some((turn) => turn.role === 'assistant')) {
        log.debug({ reason: 'thread without the bot' }, 'slack event ignored');
        return;
      }
    }
    const question = plainFromSlack(message.text ?? '', identity.botUserId);
    const problem = usageProblem(question, USAGE.mention);
    if (problem) return await post(client, message.channel, threadTs, renderNotice(problem));
    const decision = await context.limiter.take(message.user ?? '', message.channel);
    if (!decision.allowed)
      return await post(client, message.channel, threadTs, renderNotice(rateLimitNotice(decision)));
    const answer = await context.bot.ask(question, { history });
    for (const rendered of renderAnswer(answer, question))
      await post(client, message.channel, threadTs, rendered);
    log.info(
      { turns: history.length, answerer: answer.answerer, declined: answer.declined },
      'slack question answered',
    );
  } catch (error) {
    const usage = isUsageError(error);
    if (!usage && !hasCode(error, 'BUSY'))
      log.error({ err: error, event: message.type }, `slack question failed: ${describeError(error)}`);
    try {
      await post(
        client,
        message.channel,
        threadTs,
        renderNotice(usage ? USAGE.mention : failureNotice(error)),
      );
    } catch (postError) {
      log.error({ err: postError }, 'could not post the apology');
    }
  }
}

/** True when the text mentions the bot (then `app_mention` handles it, not `message`). */
function mentionsBot(text: string | undefined, botUserId: string | undefined): boolean {
  return Boolean(botUserId && text?.includes(`<@${botUserId}`));
}

/**
 * Questions: `app_mention` anywhere, any message in a DM, and replies in channel threads where
 * the bot already answered (follow-ups). Own messages, other bots', edits and deletions are ignored.
 */
export function registerQuestionHandlers(app: App, context: HandlerContext): void {
  // Slack may deliver one message twice (a retry after a slow ack): answer each (channel, ts) once.
  const recent = new Set<string>();
  const firstDelivery = (message: IncomingMessage) => {
    const key = `${message.channel}:${message.ts}`;
    if (recent.has(key)) return false;
    recent.add(key);
    if (recent.size > 2_000) recent.delete(recent.values().next().value!);
    return true;
  };
  const ignored = (message: IncomingMessage, reason: string) =>
    context.logger.debug(
      { component: 'slack', reason, channel: message.channel, ts: message.ts },
      'slack event ignored',
    );

  app.event('app_mention', async ({ event, client, context: bolt }) => {
    const message = event as unknown as IncomingMessage;
    const identity = { botUserId: bolt.botUserId, botId: bolt.botId };
    const reason = ignoreReason(message, identity);
    if (reason) return ignored(message, reason);
    // A mention inside a DM also arrives as a DM `message`: answer that one only.
    if (message.channel.startsWith('D')) return ignored(message, 'mention in a DM');
    if (!firstDelivery(message)) return ignored(message, 'duplicate delivery');
    await answerInThread(context, client, message, identity, false);
  });

  app.event('message', async ({ event, client, context: bolt }) => {
    const message = event as unknown as IncomingMessage;
    const identity = { botUserId: bolt.botUserId, botId: bolt.botId };
    const reason = ignoreReason(message, identity);
    if (reason) return ignored(message, reason);
    if (message.channel_type === 'im') {
      if (!firstDelivery(message)) return ignored(message, 'duplicate delivery');
      return answerInThread(context, client, message, identity, false);
    }
    if (mentionsBot(message.text, identity.botUserId)) return ignored(message, 'handled as app_mention');
    if (!message.thread_ts || message.thread_ts === message.ts)
      return ignored(message, 'channel message outside a thread');
    if (!firstDelivery(message)) return ignored(message, 'duplicate delivery');
    await answerInThread(context, client, message, identity, true);
  });
}
