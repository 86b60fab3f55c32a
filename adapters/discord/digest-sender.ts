import { createHash } from 'node:crypto';
import { type APIEmbed, type APIMessage, REST, Routes } from 'discord.js';
import type { Config } from '../../src/config/config.ts';
import type { Digest, DigestDestination, DigestReceipt, DigestSender } from '../../src/trending/types.ts';
import { digestEmbeds, FOOTER_RESERVE, packEmbeds } from './embeds.ts';

/** Discord's longest `nonce`. */
export const MAX_NONCE_LENGTH = 25;

/** Recent messages of a channel that `wasDelivered` looks through (one request). */
const HISTORY_SCAN_LIMIT = 100;

function hashed(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, MAX_NONCE_LENGTH);
}

/** The key as it appears in nonces and footers: itself when short enough, else a hash of it. */
export function shortKey(idempotencyKey: string): string {
  return idempotencyKey.length <= MAX_NONCE_LENGTH ? idempotencyKey : hashed(idempotencyKey);
}

/** The nonce of part `index` (0-based): deterministic, at most 25 characters, distinct per part. */
export function partNonce(idempotencyKey: string, index: number): string {
  return index === 0 ? shortKey(idempotencyKey) : hashed(`${idempotencyKey}#${index}`);
}

/** The footer marker of part `index` of `parts`, e.g. `ref pb12… · 2/3`. */
export function partMarker(idempotencyKey: string, index: number, parts: number): string {
  return `ref ${shortKey(idempotencyKey)} · ${index + 1}/${parts}`;
}

/**
 * Posts digests to Discord channels over REST (works without the gateway). A digest is split
 * into messages within Discord's embed limits; each carries `nonce` + `enforce_nonce` derived
 * from the idempotency key (Discord drops a repeat of a recent nonce) and a footer marker
 * `ref <key> · i/n`, because GET messages does not return nonces. Needs Send Messages, Embed
 * Links and Read Message History in the channel.
 */
export class DiscordDigestSender implements DigestSender {
  readonly platform = 'discord' as const;

  constructor(private readonly rest: REST) {}

  async send(destination: DigestDestination, digest: Digest, idempotencyKey: string): Promise<DigestReceipt> {
    const parts = packEmbeds(digestEmbeds(digest), FOOTER_RESERVE);
    const messageIds: string[] = [];
    for (const [index, embeds] of parts.entries()) {
      const last = embeds.length - 1;
      const marked: APIEmbed[] = embeds.map((embed, position) =>
        position === last
          ? {
              ...embed,
              footer: { text: `paperbot digest · ${partMarker(idempotencyKey, index, parts.length)}` },
            }
          : embed,
      );
      const posted = (await this.rest.post(Routes.channelMessages(destination.channelId), {
        body: {
          embeds: marked,
          nonce: partNonce(idempotencyKey, index),
          enforce_nonce: true,
          allowed_mentions: { parse: [] },
        },
      })) as Partial<APIMessage> | undefined;
      if (posted?.id) messageIds.push(posted.id);
    }
    return { messageIds };
  }

  /** True when the last part of the digest is among the channel's 100 most recent messages. */
  async wasDelivered(destination: DigestDestination, idempotencyKey: string): Promise<boolean> {
    const messages = (await this.rest.get(Routes.channelMessages(destination.channelId), {
      query: new URLSearchParams({ limit: String(HISTORY_SCAN_LIMIT) }),
    })) as APIMessage[];
    const marker = new RegExp(`ref ${escapeRegExp(shortKey(idempotencyKey))} · (\\d+)/(\\d+)$`);
    return messages.some((message) =>
      message.embeds.some((embed) => {
        const found = embed.footer?.text.match(marker);
        return found !== null && found !== undefined && found[1] === found[2];
      }),
    );
  }
}

/**
 * A digest sender on its own REST client, for posting without the gateway (`paperbot digest send`):
 * the bot token and, for tests, `DISCORD_API_URL`.
 */
export function createDiscordDigestSender(config: NonNullable<Config['discord']>): DiscordDigestSender {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl.replace(/\/$/, '') } : {}).setToken(
    config.token,
  );
  return new DiscordDigestSender(rest);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
