import { createHmac } from 'node:crypto';
import { onTestFinished } from 'vitest';
import {
  createSlackAdapter,
  SLACK_EVENTS_PATH,
  type SlackAdapter,
} from '../../adapters/slack/slack-adapter.ts';
import type { Clock } from '../../src/clock.ts';
import { SqliteFeedbackRepository } from '../../src/feedback/feedback-repository.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { SqliteSubscriptionRepository } from '../../src/trending/sqlite-subscriptions.ts';
import type { FakeBot } from '../fakes/fake-bot.ts';
import { FakeSlack } from '../fakes/fake-slack.ts';
import { type LogLine, recordingLogger } from '../fakes/recording-logger.ts';

export const SIGNING_SECRET = 'test-signing-secret';
/** The content type of slash commands and interactive payloads. */
export const FORM = 'application/x-www-form-urlencoded';

/** A running adapter against a FakeSlack, with everything a test inspects. */
export interface Harness {
  slack: FakeSlack;
  adapter: SlackAdapter;
  /** Where the adapter records 👍/👎 (SQLite in memory). */
  feedback: SqliteFeedbackRepository;
  /** Where the adapter saves `/subscribe` (SQLite in memory). */
  subscriptions: SqliteSubscriptionRepository;
  lines: LogLine[];
  /** HTTP mode: the adapter's events endpoint. */
  endpoint: string;
  close(): Promise<void>;
}

/** Starts the Slack adapter against a FakeSlack; it is closed when the calling test finishes. */
export async function startHarness(
  bot: FakeBot,
  mode: 'http' | 'socket',
  options: { clock?: Clock; userPerMinute?: number; channelPerMinute?: number } = {},
): Promise<Harness> {
  const slack = await new FakeSlack().listen();
  const { logger, lines } = recordingLogger();
  const database = openDatabase(':memory:');
  const feedback = new SqliteFeedbackRepository(database);
  const subscriptions = new SqliteSubscriptionRepository(database);
  const adapter = createSlackAdapter({
    bot,
    config: {
      botToken: 'xoxb-test',
      signingSecret: SIGNING_SECRET,
      appToken: mode === 'socket' ? 'xapp-test' : undefined,
      port: 0,
      apiUrl: slack.apiUrl,
    },
    feedback,
    subscriptions,
    logger,
    rateLimits: {
      userPerMinute: options.userPerMinute ?? 100,
      channelPerMinute: options.channelPerMinute ?? 100,
    },
    clock: options.clock,
    host: '127.0.0.1',
    webApiRetries: 0,
  });
  await adapter.start();
  const port = adapter.address()?.port;
  const harness: Harness = {
    slack,
    adapter,
    feedback,
    subscriptions,
    lines,
    endpoint: port ? `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}` : '',
    async close() {
      await adapter.stop();
      await slack.close();
      database.close();
    },
  };
  onTestFinished(() => harness.close());
  return harness;
}

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`, as Slack signs requests. */
export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Overrides the computed signature. */
  signature?: string;
  contentType?: string;
}

/** POSTs a signed request as Slack would; returns status, body and how long the answer took. */
export async function signedPost(url: string, body: string, options: SignedPostOptions = {}) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? sign(body, timestamp),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, elapsedMs: performance.now() - started };
}

let eventCounter = 0;

/** An Events API callback body around `event`. */
export function eventCallback(event: Record<string, unknown>): Record<string, unknown> {
  eventCounter += 1;
  return {
    token: 'legacy',
    team_id: 'T0001',
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: `Ev${eventCounter}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { event_ts: event.ts, ...event },
  };
}

export function mentionEvent(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'app_mention',
    user: 'U111',
    text: `<@UBOT> ${text}`,
    ts: '1710000000.000001',
    channel: 'C100',
    ...extra,
  };
}

export function directMessage(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    channel_type: 'im',
    user: 'U111',
    text,
    ts: '1710000001.000001',
    channel: 'D100',
    ...extra,
  };
}

/** Form fields of a slash command as Slack posts them. */
export function slashCommand(command: string, text: string, responseUrl: string): Record<string, string> {
  return {
    token: 'legacy',
    team_id: 'T0001',
    channel_id: 'C100',
    channel_name: 'papers',
    user_id: 'U111',
    user_name: 'ada',
    command,
    text,
    api_app_id: 'A0001',
    response_url: responseUrl,
    trigger_id: 'trigger-1',
  };
}

/** A `block_actions` payload for a button click on message `messageTs`. */
export function buttonClick(
  action: { action_id: string; value: string; block_id?: string },
  responseUrl: string,
  messageTs = '1700000000.000100',
): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: 'T0001', domain: 'test' },
    user: { id: 'U111', username: 'ada', name: 'ada', team_id: 'T0001' },
    api_app_id: 'A0001',
    token: 'legacy',
    container: { type: 'message', message_ts: messageTs, channel_id: 'C100', is_ephemeral: false },
    trigger_id: 'trigger-2',
    channel: { id: 'C100', name: 'papers' },
    message: { type: 'message', ts: messageTs, text: 'answer' },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        block_id: action.block_id ?? 'b1',
        action_ts: '1',
        text: { type: 'plain_text', text: 'x' },
        ...action,
      },
    ],
  };
}

/** Every text a message's blocks show, joined (for assertions on rendering). */
export function blockTexts(blocks: unknown): string {
  return JSON.stringify(blocks ?? []);
}
