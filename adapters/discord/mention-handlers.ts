import type { Message, SendableChannels, ThreadChannel } from 'discord.js';
import type { ConversationTurn } from '../../src/answering/answerer.ts';
import { describeError, hasCode } from '../../src/errors.ts';
import { failureNotice, isUsageError } from '../shared/failure-notice.ts';
import { answerEmbeds, packEmbeds } from './embeds.ts';
import { type HandlerContext, rateLimitProblem, USAGE, usageProblem } from './handler-context.ts';
import { oneLine, plainFromDiscord, truncate } from './markdown.ts';

/** Earlier messages of a thread read for a follow-up. */
const HISTORY_MESSAGES = 20;
/** Longest thread name Discord accepts. */
const THREAD_NAME_LIMIT = 100;
const NO_MENTIONS = { parse: [] as const, repliedUser: false };

/** Our escaped embed text back to plain text, for the history passed to the core. */
function unescapeDiscord(text: string): string {
  return text.replace(/\u200b/g, '').replace(/\\(.)/g, '$1');
}

function turnOf(message: Message, botUserId: string): ConversationTurn | undefined {
  if (message.author.id === botUserId) {
    // The source lines ("[1] [Title](link)") let a follow-up find the papers of this answer.
    const text = message.embeds
      .flatMap((embed) => [
        embed.description ?? '',
        ...embed.fields.filter((field) => field.name.startsWith('Sources')).map((field) => field.value),
      ])
      .filter(Boolean)
      .join('\n');
    return text ? { role: 'assistant', text: unescapeDiscord(text) } : undefined;
  }
  if (message.author.bot) return undefined;
  const text = plainFromDiscord(message.content, botUserId);
  return text ? { role: 'user', text } : undefined;
}

/** The thread's earlier turns, oldest first: its starter message, then its messages before `current`. */
async function threadHistory(
  thread: ThreadChannel,
  current: Message,
  botUserId: string,
): Promise<ConversationTurn[]> {
  const fetched = await thread.messages.fetch({ limit: HISTORY_MESSAGES, before: current.id });
  const messages = [...fetched.values()];
  const starter = await thread.fetchStarterMessage().catch(() => null);
  if (starter && !fetched.has(starter.id)) messages.push(starter);
  messages.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  return messages.flatMap((message) => turnOf(message, botUserId) ?? []);
}

async function answerIn(
  channel: SendableChannels,
  question: string,
  history: ConversationTurn[],
  context: HandlerContext,
): Promise<void> {
  try {
    const answer = await context.bot.ask(question, { history });
    for (const embeds of packEmbeds(answerEmbeds(question, answer))) {
      await channel.send({ embeds, allowedMentions: NO_MENTIONS });
    }
  } catch (error) {
    if (!isUsageError(error) && !hasCode(error, 'BUSY'))
      context.logger.error({ err: error }, `discord answer failed: ${describeError(error)}`);
    await channel.send({
      content: isUsageError(error) ? USAGE.mention : failureNotice(error),
      allowedMentions: NO_MENTIONS,
    });
  }
}

/**
 * A message that mentions the bot is answered in a new thread started from it; a message in a
 * thread the bot started (or a mention inside any thread) is a follow-up, answered there with the
 * thread's earlier turns. Other messages, and those of bots, are ignored.
 */
export async function handleMessage(message: Message, context: HandlerContext): Promise<void> {
  const botUserId = message.client.user.id;
  if (message.author.bot || message.system || !message.inGuild()) return;
  const mentioned = message.mentions.users.has(botUserId);
  const channel = message.channel;
  const inOwnThread = channel.isThread() && channel.ownerId === botUserId;
  if (!mentioned && !inOwnThread) return;
  const log = context.logger.child({ channel: message.channelId, message: message.id });
  try {
    const question = plainFromDiscord(message.content, botUserId);
    const problem =
      usageProblem(question, USAGE.mention) ??
      (await rateLimitProblem(context, message.author.id, message.channelId));
    if (channel.isThread()) {
      if (problem) {
        await channel.send({ content: problem, allowedMentions: NO_MENTIONS });
        return;
      }
      const history = await threadHistory(channel, message, botUserId);
      log.debug({ turns: history.length }, 'discord follow-up');
      await answerIn(channel, question, history, context);
      return;
    }
    if (problem) {
      await message.reply({ content: problem, allowedMentions: NO_MENTIONS });
      return;
    }
    const thread = await message.startThread({
      name: truncate(oneLine(question), THREAD_NAME_LIMIT),
      autoArchiveDuration: 1440,
    });
    await answerIn(thread, question, [], context);
  } catch (error) {
    log.error({ err: error }, `discord mention failed: ${describeError(error)}`);
  }
}
