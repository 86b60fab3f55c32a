import type { FakeDiscord } from './fake-discord.ts';
import { IDS, messagePayload, user } from './fake-discord-payloads.ts';

/** A parsed JSON request body (undefined when empty). */
export type Body = Record<string, unknown> | undefined;

/** `[method or *, path pattern, handler(groups, body, method) -> [status, body]]`. */
export type Route = [string, RegExp, (groups: string[], body: Body, method: string) => [number, unknown?]];

/**
 * The REST routes of the fake Discord below `/api/v10`: gateway info, interaction callbacks,
 * webhooks, command registration, channels, messages and threads, over `discord`'s state.
 */
export function discordRoutes(discord: FakeDiscord, url: URL): Route[] {
  return [
    [
      'GET',
      /^\/gateway\/bot$/,
      () => [
        200,
        {
          url: `ws://127.0.0.1:${discord.port}/gateway`,
          shards: discord.gatewayOptions.recommendedShards ?? 1,
          session_start_limit: {
            total: 1000,
            remaining: 999,
            reset_after: 0,
            max_concurrency: discord.gatewayOptions.maxConcurrency ?? 1,
          },
        },
      ],
    ],
    ['POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/, () => [204]],
    [
      '*',
      /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(.+))?$/,
      ([applicationId], body) => [
        200,
        { ...messagePayload(discord.newId(), IDS.general, botFields(body)), webhook_id: applicationId },
      ],
    ],
    [
      'PUT',
      /^\/applications\/\d+(?:\/guilds\/(\d+))?\/commands$/,
      ([guildId], body) => {
        discord.registered.set(guildId ?? 'global', body);
        return [200, body];
      },
    ],
    [
      'GET',
      /^\/channels\/(\d+)$/,
      ([channelId]) => {
        const channel = discord.channels.get(channelId!);
        return channel ? [200, channel] : [404, { message: 'Unknown Channel', code: 10003 }];
      },
    ],
    [
      'POST',
      /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/,
      (groups, body) => [201, thread(discord, groups, body)],
    ],
    [
      'GET',
      /^\/channels\/(\d+)\/messages\/(\d+)$/,
      ([channelId, messageId]) => {
        const found = discord.messages.get(channelId!)?.find((message) => message.id === messageId);
        return found ? [200, found] : [404, { message: 'Unknown Message', code: 10008 }];
      },
    ],
    [
      'GET',
      /^\/channels\/(\d+)\/messages$/,
      ([channelId]) => {
        const limit = Number(url.searchParams.get('limit') ?? 50);
        const before = url.searchParams.get('before');
        const list = [...(discord.messages.get(channelId!) ?? [])]
          .filter((message) => !before || BigInt(message.id) < BigInt(before))
          .reverse()
          .slice(0, limit);
        return [200, list.map(({ nonce: _nonce, ...rest }) => rest)];
      },
    ],
    [
      'POST',
      /^\/channels\/(\d+)\/messages$/,
      ([channelId], body) => {
        const existing = body?.enforce_nonce
          ? discord.messages.get(channelId!)?.find((message) => message.nonce === body.nonce)
          : undefined;
        return [200, existing ?? discord.store(channelId!, botFields(body))];
      },
    ],
  ];
}

/** A thread started from a message, kept as a channel. */
function thread(discord: FakeDiscord, [parentId, messageId]: string[], body: Body): Record<string, unknown> {
  const created = {
    id: messageId!,
    type: 11,
    guild_id: discord.channels.get(parentId!)?.guild_id ?? IDS.guild,
    parent_id: parentId,
    owner_id: IDS.bot,
    name: body?.name,
    thread_metadata: { archived: false, auto_archive_duration: 1440, locked: false },
    member_count: 1,
    message_count: 0,
  };
  discord.channels.set(created.id, created);
  return created;
}

/** The fields of a message the bot authored, from a create or edit body. */
function botFields(body: Body): Record<string, unknown> {
  return {
    author: user(IDS.bot, 'paperbot', true),
    content: body?.content ?? '',
    embeds: body?.embeds ?? [],
    nonce: body?.nonce,
  };
}
