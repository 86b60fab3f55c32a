import {
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
  type SlashCommandStringOption,
} from 'discord.js';
import { MAX_QUESTION_LENGTH } from '../../src/bot-types.ts';
import { MAX_SUBSCRIPTION_TOPIC_LENGTH } from '../../src/trending/subscriptions.ts';
import { MAX_DIGEST_LIMIT } from '../../src/trending/trending-service.ts';

/** The `topic:` option of `/trending` and `/subscribe`, as long as a subscription keeps. */
function topicOption(option: SlashCommandStringOption): SlashCommandStringOption {
  return option
    .setName('topic')
    .setDescription('Only papers on this topic')
    .setMaxLength(MAX_SUBSCRIPTION_TOPIC_LENGTH);
}

/**
 * The slash commands, as registered by `paperbot discord register`: `/search query: [public:]`,
 * `/ask question:`, `/trending [topic:]`, `/subscribe [topic:] [time_zone:] [hour:] [cron:]
 * [limit:]`, `/unsubscribe`. The last two default to members with Manage Channels (the handler
 * checks again).
 */
export function commandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const search = new SlashCommandBuilder()
    .setName('search')
    .setDescription('Search the paper corpus')
    .addStringOption((option) =>
      option
        .setName('query')
        .setDescription('What to look for')
        .setRequired(true)
        .setMaxLength(MAX_QUESTION_LENGTH),
    )
    .addBooleanOption((option) =>
      option.setName('public').setDescription('Post the results in the channel (default: only you see them)'),
    );
  const ask = new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask a question; the answer cites the papers it comes from')
    .addStringOption((option) =>
      option
        .setName('question')
        .setDescription('Your question')
        .setRequired(true)
        .setMaxLength(MAX_QUESTION_LENGTH),
    );
  const trending = new SlashCommandBuilder()
    .setName('trending')
    .setDescription("Preview today's trending papers")
    .addStringOption(topicOption);
  const subscribe = new SlashCommandBuilder()
    .setName('subscribe')
    .setDescription('Post the daily digest in this channel (default: weekdays 09:00 UTC)')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageChannels)
    .setContexts(InteractionContextType.Guild)
    .addStringOption(topicOption)
    .addStringOption((option) =>
      option.setName('time_zone').setDescription('IANA time zone, e.g. Europe/Berlin (default UTC)'),
    )
    .addIntegerOption((option) =>
      option
        .setName('hour')
        .setDescription('Hour of day, weekdays (default 9)')
        .setMinValue(0)
        .setMaxValue(23),
    )
    .addStringOption((option) =>
      option.setName('cron').setDescription('Cron expression instead of hour, e.g. "30 8 * * *"'),
    )
    .addIntegerOption((option) =>
      option
        .setName('limit')
        .setDescription('Papers per digest (default 5)')
        .setMinValue(1)
        .setMaxValue(MAX_DIGEST_LIMIT),
    );
  const unsubscribe = new SlashCommandBuilder()
    .setName('unsubscribe')
    .setDescription("Stop this channel's daily digest")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageChannels)
    .setContexts(InteractionContextType.Guild);
  return [search, ask, trending, subscribe, unsubscribe].map((command) => command.toJSON());
}
