import {
  type APIEmbed,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import { describeError, hasCode } from '../../src/errors.ts';
import {
  MAX_SUBSCRIPTION_TOPIC_LENGTH,
  parseSubscribe,
  subscriptionDestinationId,
} from '../../src/trending/subscriptions.ts';
import { failureNotice, isUsageError } from '../shared/failure-notice.ts';
import { answerEmbeds, digestEmbeds, packEmbeds, searchEmbed } from './embeds.ts';
import { type HandlerContext, rateLimitProblem, USAGE, usageProblem } from './handler-context.ts';

/** Papers listed by `/search`. */
const SEARCH_RESULTS = 8;
const NO_MENTIONS = { parse: [] as const, repliedUser: false };

type Command = ChatInputCommandInteraction;

/** Sends embeds as the (deferred) reply and, past Discord's per-message limits, as follow-ups. */
async function replyWithEmbeds(interaction: Command, embeds: APIEmbed[], ephemeral: boolean): Promise<void> {
  const [first = [], ...rest] = packEmbeds(embeds);
  await interaction.editReply({ embeds: first, allowedMentions: NO_MENTIONS });
  for (const more of rest) {
    await interaction.followUp({
      embeds: more,
      allowedMentions: NO_MENTIONS,
      ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
    });
  }
}

/** Answers with a short notice: edits the deferred reply, or replies ephemerally. */
async function notice(interaction: Command, content: string): Promise<void> {
  const message: InteractionEditReplyOptions = { content, embeds: [], allowedMentions: NO_MENTIONS };
  if (interaction.deferred || interaction.replied) await interaction.editReply(message);
  else await interaction.reply({ content, allowedMentions: NO_MENTIONS, flags: MessageFlags.Ephemeral });
}

async function search(interaction: Command, context: HandlerContext): Promise<void> {
  const query = interaction.options.getString('query')?.trim() ?? '';
  const problem =
    usageProblem(query, USAGE.search) ??
    (await rateLimitProblem(context, interaction.user.id, interaction.channelId));
  if (problem) return notice(interaction, problem);
  const ephemeral = !interaction.options.getBoolean('public');
  await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  const hits = await context.bot.search(query, { k: SEARCH_RESULTS });
  await replyWithEmbeds(interaction, [searchEmbed(query, hits)], ephemeral);
}

async function ask(interaction: Command, context: HandlerContext): Promise<void> {
  const question = interaction.options.getString('question')?.trim() ?? '';
  const problem =
    usageProblem(question, USAGE.ask) ??
    (await rateLimitProblem(context, interaction.user.id, interaction.channelId));
  if (problem) return notice(interaction, problem);
  await interaction.deferReply();
  const answer = await context.bot.ask(question);
  await replyWithEmbeds(interaction, answerEmbeds(question, answer), false);
}

async function trending(interaction: Command, context: HandlerContext): Promise<void> {
  const topic = interaction.options.getString('topic')?.trim() ?? '';
  const problem = usageProblem(topic, USAGE.trending, {
    required: false,
    max: MAX_SUBSCRIPTION_TOPIC_LENGTH,
  });
  if (problem) return notice(interaction, problem);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const digest = await context.bot.trendingDigest(topic ? { topic: { query: topic } } : {});
  await replyWithEmbeds(interaction, digestEmbeds(digest), true);
}

/** The refusal text when the member may not manage this channel's digest, else undefined. */
function subscriptionRefusal(interaction: Command, context: HandlerContext): string | undefined {
  if (!interaction.inGuild()) return 'Digest subscriptions work in server channels only.';
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels)) {
    return 'Only members with the **Manage Channels** permission can change this channel’s digest.';
  }
  if (!context.subscriptions) return 'Subscriptions are not available on this bot (no database).';
  return undefined;
}

async function subscribe(interaction: Command, context: HandlerContext): Promise<void> {
  const refusal = subscriptionRefusal(interaction, context);
  if (refusal || !context.subscriptions) return notice(interaction, refusal ?? '');
  const parsed = parseSubscribe({
    platform: 'discord',
    channelId: interaction.channelId,
    teamId: interaction.guildId,
    userId: interaction.user.id,
    topic: interaction.options.getString('topic'),
    timeZone: interaction.options.getString('time_zone'),
    hour: interaction.options.getInteger('hour'),
    cron: interaction.options.getString('cron'),
    limit: interaction.options.getInteger('limit'),
  });
  if ('problem' in parsed) return notice(interaction, parsed.problem);
  await context.subscriptions.save(parsed, new Date(context.clock.now()));
  context.logger.info(
    {
      destinationId: parsed.destinationId,
      cron: parsed.cron,
      timeZone: parsed.timeZone,
      user: parsed.createdBy,
    },
    'discord digest subscription saved',
  );
  const about = parsed.topic ? ' on that topic' : '';
  await notice(
    interaction,
    `Subscribed: this channel gets the digest${about} on schedule \`${parsed.cron}\` (${parsed.timeZone}).`,
  );
}

async function unsubscribe(interaction: Command, context: HandlerContext): Promise<void> {
  const refusal = subscriptionRefusal(interaction, context);
  if (refusal || !context.subscriptions) return notice(interaction, refusal ?? '');
  const removed = await context.subscriptions.remove(
    subscriptionDestinationId('discord', interaction.channelId),
  );
  await notice(
    interaction,
    removed ? 'Unsubscribed: no more digests in this channel.' : 'This channel has no digest subscription.',
  );
}

const HANDLERS: Record<string, (interaction: Command, context: HandlerContext) => Promise<void>> = {
  search,
  ask,
  trending,
  subscribe,
  unsubscribe,
};

/** Runs a slash command; failures become a notice to the user, never a throw. */
export async function handleCommand(interaction: Command, context: HandlerContext): Promise<void> {
  const handler = HANDLERS[interaction.commandName];
  const log = context.logger.child({ command: interaction.commandName, interaction: interaction.id });
  if (!handler) {
    log.warn('unknown slash command (re-run `paperbot discord register`?)');
    return notice(interaction, 'Unknown command. Ask an admin to re-register the bot’s commands.').catch(
      () => undefined,
    );
  }
  try {
    await handler(interaction, context);
  } catch (error) {
    const usage = isUsageError(error);
    // BUSY (queue full, restarting) is load shedding, logged by the queue at info: not an error.
    if (!usage && !hasCode(error, 'BUSY'))
      log.error({ err: error }, `discord command failed: ${describeError(error)}`);
    const usageText = USAGE[interaction.commandName as keyof typeof USAGE] ?? USAGE.ask;
    const text = usage ? `${(error as Error).message} ${usageText}` : failureNotice(error);
    await notice(interaction, text).catch((replyError: unknown) =>
      log.error({ err: replyError }, 'could not answer the interaction'),
    );
  }
}
