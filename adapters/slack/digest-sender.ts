import { webApi } from '@slack/bolt';
import type { Config } from '../../src/config/config.ts';
import type { Logger } from '../../src/logger.ts';
import type { Digest, DigestDestination, DigestReceipt, DigestSender } from '../../src/trending/types.ts';
import { boltLogger } from './bolt-logger.ts';
import { renderDigest } from './listing-blocks.ts';

/** `event_type` of the message metadata that carries a digest's idempotency key. */
export const DIGEST_EVENT_TYPE = 'paperbot_digest';

/** Messages of a channel's history scanned by `wasDelivered` (newest first). */
const HISTORY_SCAN_LIMIT = 200;

/**
 * Posts digests to Slack channels. The idempotency key travels in message metadata
 * (`event_type: paperbot_digest`, `event_payload: { key }`), so `wasDelivered` can find it in the
 * channel's recent history after a crash. Needs `chat:write` (and membership, or
 * `chat:write.public`) and `channels:history`/`groups:history`.
 */
export class SlackDigestSender implements DigestSender {
  readonly platform = 'slack' as const;

  constructor(private readonly client: webApi.WebClient) {}

  async send(destination: DigestDestination, digest: Digest, idempotencyKey: string): Promise<DigestReceipt> {
    const message = renderDigest(digest);
    const posted = await this.client.chat.postMessage({
      channel: destination.channelId,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
      metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { key: idempotencyKey } },
    });
    return { messageIds: posted.ts ? [posted.ts] : [] };
  }

  async wasDelivered(destination: DigestDestination, idempotencyKey: string): Promise<boolean> {
    let cursor: string | undefined;
    let scanned = 0;
    while (scanned < HISTORY_SCAN_LIMIT) {
      const page = await this.client.conversations.history({
        channel: destination.channelId,
        include_all_metadata: true,
        limit: Math.min(100, HISTORY_SCAN_LIMIT - scanned),
        cursor,
      });
      const messages = page.messages ?? [];
      scanned += messages.length;
      const found = messages.some(
        (message) =>
          message.metadata?.event_type === DIGEST_EVENT_TYPE &&
          (message.metadata.event_payload as { key?: unknown } | undefined)?.key === idempotencyKey,
      );
      if (found) return true;
      cursor = page.response_metadata?.next_cursor || undefined;
      if (!cursor || messages.length === 0) return false;
    }
    return false;
  }
}

/**
 * A digest sender on its own Web API client, for posting without Bolt (`paperbot digest send`):
 * the bot token and, for tests, `SLACK_API_URL`.
 */
export function createSlackDigestSender(
  config: NonNullable<Config['slack']>,
  logger: Logger,
): SlackDigestSender {
  const client = new webApi.WebClient(config.botToken, {
    logger: boltLogger(logger),
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl.replace(/\/?$/, '/') } : {}),
  });
  return new SlackDigestSender(client);
}
