/** Fixed ids of the fake's world. */
export const IDS = {
  bot: '100000000000000001',
  application: '100000000000000002',
  guild: '200000000000000001',
  general: '300000000000000001',
  digests: '300000000000000002',
  admin: '400000000000000001',
  member: '400000000000000002',
  /** A second guild, on shard 1 of 2 (`(id >> 22) % 2 === 1`); `IDS.guild` is on shard 0 of 2. */
  secondGuild: '200000000004194305',
} as const;

/** Permission bits: everything (admin), and View Channel + Send Messages only (member). */
export const PERMISSIONS = { admin: '8', plain: String(0x400 | 0x800) } as const;

/** A message the fake keeps per channel (GET messages returns them newest first, without nonce). */
export type StoredMessage = Record<string, unknown> & { id: string; channel_id: string };

/** A plain text message as Discord sends it, with `fields` over the defaults. */
export function messagePayload(
  id: string,
  channelId: string,
  fields: Record<string, unknown>,
): StoredMessage {
  return {
    id,
    channel_id: channelId,
    content: '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
    flags: 0,
    ...fields,
  };
}

/** A Discord user object. */
export function user(id: string, username: string, bot = false) {
  return { id, username, discriminator: '0', avatar: null, global_name: null, ...(bot ? { bot } : {}) };
}

/** An INTERACTION_CREATE payload for a chat-input command in the fake guild. */
export function slashCommandPayload(input: {
  id: string;
  token: string;
  name: string;
  options: Record<string, string | number | boolean>;
  channel?: Record<string, unknown>;
  channelId?: string;
  guildId?: string;
  userId?: string;
  permissions?: string;
}): Record<string, unknown> {
  const { id, token, name, options } = input;
  const channelId = input.channelId ?? IDS.general;
  const guildId = input.guildId ?? IDS.guild;

  return {
    id,
    application_id: IDS.application,
    type: 2,
    token,
    version: 1,
    guild_id: guildId,
    channel_id: channelId,
    channel: input.channel,
    member: {
      user: user(input.userId ?? IDS.admin, 'someone'),
      roles: [],
      permissions: input.permissions ?? PERMISSIONS.admin,
      joined_at: '2026-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
    },
    app_permissions: PERMISSIONS.admin,
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': guildId },
    context: 0,
    data: {
      id: `${name}-command-id`,
      name,
      type: 1,
      options: Object.entries(options).map(([option, value]) => ({
        name: option,
        type: typeof value === 'string' ? 3 : typeof value === 'boolean' ? 5 : 4,
        value,
      })),
    },
  };
}
