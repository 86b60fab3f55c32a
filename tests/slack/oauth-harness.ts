import {
  createSlackAdapter,
  SLACK_EVENTS_PATH,
  type SlackAdapter,
} from '../../adapters/slack/slack-adapter.ts';
import { SqliteFeedbackRepository } from '../../src/feedback/feedback-repository.ts';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.ts';
import type { EventDedupRepository } from '../../src/storage/event-dedup-repository.ts';
import { SqliteInstallationRepository } from '../../src/storage/installation-repository.ts';
import type { FakeBot } from '../fakes/fake-bot.ts';
import { FAKE_OAUTH_CLIENT, type FakeSlack, type FakeWorkspace } from '../fakes/fake-slack.ts';
import { type LogLine, recordingLogger } from '../fakes/recording-logger.ts';
import { SIGNING_SECRET } from './slack-harness.ts';

export const STATE_SECRET = 'fake-state-secret-0123456789';

/** A running OAuth-mode adapter against a FakeSlack, with its installation store. */
export interface OAuthHarness {
  adapter: SlackAdapter;
  database: SqliteDatabase;
  installations: SqliteInstallationRepository;
  lines: LogLine[];
  /** Team ids `onUninstall` was called with. */
  uninstalled: string[];
  /** `http://127.0.0.1:PORT` of the adapter. */
  baseUrl: string;
  endpoint: string;
  close(): Promise<void>;
}

export async function startOAuthAdapter(
  bot: FakeBot,
  slack: FakeSlack,
  options: { eventDedup?: EventDedupRepository } = {},
): Promise<OAuthHarness> {
  const { logger, lines } = recordingLogger();
  const database = openDatabase(':memory:');
  const installations = new SqliteInstallationRepository(database);
  const uninstalled: string[] = [];
  const adapter = createSlackAdapter({
    bot,
    config: {
      signingSecret: SIGNING_SECRET,
      port: 0,
      apiUrl: slack.apiUrl,
      oauth: {
        clientId: FAKE_OAUTH_CLIENT.clientId,
        clientSecret: FAKE_OAUTH_CLIENT.clientSecret,
        stateSecret: STATE_SECRET,
        scopes: ['app_mentions:read', 'chat:write', 'commands'],
      },
    },
    feedback: new SqliteFeedbackRepository(database),
    installations,
    eventDedup: options.eventDedup,
    onUninstall: (teamId) => {
      uninstalled.push(teamId);
    },
    logger,
    rateLimits: { userPerMinute: 100, channelPerMinute: 100 },
    host: '127.0.0.1',
    webApiRetries: 0,
  });
  await adapter.start();
  const baseUrl = `http://127.0.0.1:${adapter.address()!.port}`;
  return {
    adapter,
    database,
    installations,
    lines,
    uninstalled,
    baseUrl,
    endpoint: `${baseUrl}${SLACK_EVENTS_PATH}`,
    async close() {
      await adapter.stop();
      database.close();
    },
  };
}

/** What the browser sees on `/slack/install`: the authorize URL behind "Add to Slack" and the state cookie. */
export async function openInstallPage(
  baseUrl: string,
): Promise<{ status: number; authorizeUrl: URL; cookie: string }> {
  const response = await fetch(`${baseUrl}/slack/install`);
  const html = await response.text();
  const href = /href="([^"]+oauth[^"]+)"/.exec(html)?.[1] ?? '';
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { status: response.status, authorizeUrl: new URL(href.replaceAll('&amp;', '&')), cookie };
}

/**
 * The whole install as a browser and Slack do it: open `/slack/install`, "Allow" (the fake grants
 * a code for `workspace`), then Slack redirects to `/slack/oauth_redirect?code&state` with the cookie.
 */
export async function installWorkspace(
  harness: Pick<OAuthHarness, 'baseUrl'>,
  slack: FakeSlack,
  workspace: FakeWorkspace,
): Promise<{ status: number; html: string }> {
  const { authorizeUrl, cookie } = await openInstallPage(harness.baseUrl);
  const code = `code-${workspace.teamId}`;
  slack.grantInstall(code, workspace);
  const state = authorizeUrl.searchParams.get('state') ?? '';
  const response = await fetch(
    `${harness.baseUrl}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`,
    { headers: { cookie }, redirect: 'manual' },
  );
  return { status: response.status, html: await response.text() };
}
