import { webApi } from '@slack/bolt';
import type { Config } from '../../src/config/config.ts';
import { PaperbotError } from '../../src/errors.ts';
import type { Logger } from '../../src/logger.ts';
import type { InstallationRepository } from '../../src/storage/installation-repository.ts';
import type { Digest, DigestDestination, DigestReceipt, DigestSender } from '../../src/trending/types.ts';
import { boltLogger } from './bolt-logger.ts';
import { renderDigest } from './listing-blocks.ts';

/** `event_type` of the message metadata that carries a digest's idempotency key. */
export const DIGEST_EVENT_TYPE = 'paperbot_digest';

/** Messages of a channel's history scanned by `wasDelivered` (newest first). */
const HISTORY_SCAN_LIMIT = 200;

/**
 * The bot token that posts to a destination: with OAuth, that of the destination's workspace
 * (`teamId`); undefined means the client's own token (`SLACK_BOT_TOKEN`).
 */
export type DestinationToken = (destination: DigestDestination) => Promise<string | undefined>;

/**
 * With OAuth, the token of a destination's workspace: `botTokenOf(teamId)` looks it up (Bolt's
 * installer in `serve`, the stored installation in the CLI); SLACK_NOT_INSTALLED when the
 * destination names no workspace or the workspace has no bot token.
 */
export function workspaceToken(
  botTokenOf: (teamId: string) => Promise<string | undefined>,
): DestinationToken {
  return async (destination) => {
    if (!destination.teamId) {
      throw new PaperbotError(
        'SLACK_NOT_INSTALLED',
        `Slack digest destination "${destination.id}" has no teamId: with OAuth (many workspaces) each Slack ` +
          'destination needs the team id (T…) of its workspace, e.g. "teamId": "T0123ABCD".',
      );
    }
    const token = await botTokenOf(destination.teamId);
    if (!token) {
      throw new PaperbotError(
        'SLACK_NOT_INSTALLED',
        `The installation of workspace ${destination.teamId} has no bot token: install the app there again through /slack/install.`,
      );
    }
    return token;
  };
}

/**
 * Posts digests to Slack channels. The idempotency key travels in message metadata
 * (`event_type: paperbot_digest`, `event_payload: { key }`), so `wasDelivered` can find it in the
 * channel's recent history after a crash. Needs `chat:write` (and membership, or
 * `chat:write.public`) and `channels:history`/`groups:history`.
 */
export class SlackDigestSender implements DigestSender {
  readonly platform = 'slack' as const;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly tokenFor: DestinationToken = async () => undefined,
  ) {}

  async send(destination: DigestDestination, digest: Digest, idempotencyKey: string): Promise<DigestReceipt> {
    const message = renderDigest(digest);
    const token = await this.tokenFor(destination);
    const posted = await this.client.chat.postMessage({
      ...(token ? { token } : {}),
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
    const token = await this.tokenFor(destination);
    let cursor: string | undefined;
    let scanned = 0;
    while (scanned < HISTORY_SCAN_LIMIT) {
      const page = await this.client.conversations.history({
        ...(token ? { token } : {}),
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
 * the bot token, or with OAuth the stored installation's token of the destination's workspace
 * (a rotating token is refreshed by `serve`, not here), and, for tests, `SLACK_API_URL`.
 */
export function createSlackDigestSender(
  config: NonNullable<Config['slack']>,
  logger: Logger,
  installations?: InstallationRepository,
): SlackDigestSender {
  const client = new webApi.WebClient(config.oauth ? undefined : config.botToken, {
    logger: boltLogger(logger),
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl.replace(/\/?$/, '/') } : {}),
  });
  if (!config.oauth || !installations) return new SlackDigestSender(client);
  return new SlackDigestSender(
    client,
    workspaceToken(async (teamId) => {
      const record = await installations.find({ teamId, isEnterpriseInstall: false });
      const data = record ? (JSON.parse(record.data) as { bot?: { token?: string } }) : undefined;
      return data?.bot?.token;
    }),
  );
}
