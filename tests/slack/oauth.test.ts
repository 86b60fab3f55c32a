import { afterEach, describe, expect, it } from 'vitest';
import type { DigestDestination } from '../../src/trending/types.ts';
import { FakeBot } from '../fakes/fake-bot.ts';
import { FAKE_OAUTH_CLIENT, FakeSlack, type FakeWorkspace, waitFor } from '../fakes/fake-slack.ts';
import { installWorkspace, type OAuthHarness, openInstallPage, startOAuthAdapter } from './oauth-harness.ts';
import { eventCallback, mentionEvent, signedPost } from './slack-harness.ts';

const TEAM_ONE: FakeWorkspace = { teamId: 'T0000ONE', botToken: 'xoxb-team-one-secret', botUserId: 'UBOT1' };
const TEAM_TWO: FakeWorkspace = { teamId: 'T0000TWO', botToken: 'xoxb-team-two-secret', botUserId: 'UBOT2' };

let slack: FakeSlack | undefined;
let harness: OAuthHarness | undefined;

afterEach(async () => {
  await harness?.close();
  await slack?.close();
  harness = undefined;
  slack = undefined;
});

async function start(bot = new FakeBot()) {
  slack = await new FakeSlack().listen();
  harness = await startOAuthAdapter(bot, slack);
  return { slack, harness, bot };
}

/** An Events API callback from one workspace. */
function fromTeam(teamId: string, event: Record<string, unknown>): string {
  return JSON.stringify({ ...eventCallback(event), team_id: teamId });
}

const installed = (teamId: string) => harness!.installations.find({ teamId, isEnterpriseInstall: false });

describe('Slack OAuth: install into many workspaces', () => {
  it('installs through /slack/install and /slack/oauth_redirect, exchanging the code with oauth.v2.access', async () => {
    const { slack, harness } = await start();
    const page = await openInstallPage(harness.baseUrl);
    expect(page.status).toBe(200);
    expect(page.authorizeUrl.searchParams.get('client_id')).toBe(FAKE_OAUTH_CLIENT.clientId);
    expect(page.authorizeUrl.searchParams.get('scope')).toBe('app_mentions:read,chat:write,commands');
    expect(page.cookie).toMatch(/^slack-app-oauth-state=.+/);

    const result = await installWorkspace(harness, slack, TEAM_ONE);
    expect(result.status).toBe(200);
    expect(result.html).toContain('Thank you!');
    const exchange = slack.callsOf('oauth.v2.access')[0]!;
    expect(exchange.args).toMatchObject({ code: 'code-T0000ONE', client_id: FAKE_OAUTH_CLIENT.clientId });
    const stored = await installed('T0000ONE');
    expect(JSON.parse(stored!.data).bot).toMatchObject({
      token: TEAM_ONE.botToken,
      userId: 'UBOT1',
      id: 'BBOT',
    });
    // Tokens and the client secret never reach a log line.
    const logs = JSON.stringify(harness.lines);
    expect(logs).not.toContain(TEAM_ONE.botToken);
    expect(logs).not.toContain(FAKE_OAUTH_CLIENT.clientSecret);
    expect(logs).toContain('oauth.v2.access'); // the Web API's debug lines were there, redacted
  });

  it('refuses a redirect whose state was not issued to this browser, and stores nothing', async () => {
    const { slack, harness } = await start();
    const { authorizeUrl } = await openInstallPage(harness.baseUrl);
    slack.grantInstall('code-x', TEAM_ONE);
    const state = authorizeUrl.searchParams.get('state') ?? '';
    const noCookie = await fetch(
      `${harness.baseUrl}/slack/oauth_redirect?code=code-x&state=${encodeURIComponent(state)}`,
    );
    expect(noCookie.status).toBe(400);
    const forged = await fetch(`${harness.baseUrl}/slack/oauth_redirect?code=code-x&state=forged`, {
      headers: { cookie: 'slack-app-oauth-state=forged' },
    });
    expect(forged.status).toBe(400);
    expect(slack.callsOf('oauth.v2.access')).toHaveLength(0);
    expect(await harness.installations.list()).toEqual([]);
  });

  it('answers in each workspace with that workspace’s own token, and not in one that never installed', async () => {
    const { slack, harness, bot } = await start();
    await installWorkspace(harness, slack, TEAM_ONE);
    await installWorkspace(harness, slack, TEAM_TWO);

    await signedPost(
      harness.endpoint,
      fromTeam('T0000ONE', mentionEvent('first team?', { channel: 'C1', text: '<@UBOT1> first team?' })),
    );
    await signedPost(
      harness.endpoint,
      fromTeam('T0000TWO', mentionEvent('second team?', { channel: 'C2', text: '<@UBOT2> second team?' })),
    );
    await signedPost(harness.endpoint, fromTeam('T0000BAD', mentionEvent('stranger?', { channel: 'C9' })));
    const posts = await waitFor(
      () => slack.callsOf('chat.postMessage').length >= 2 && slack.callsOf('chat.postMessage'),
    );
    const byChannel = Object.fromEntries(posts.map((post) => [post.args.channel, post.authorization]));
    expect(byChannel).toEqual({ C1: `Bearer ${TEAM_ONE.botToken}`, C2: `Bearer ${TEAM_TWO.botToken}` });
    await waitFor(() =>
      harness.lines.some((line) => /Authorization of incoming event did not succeed/.test(line.msg)),
    );
    expect(bot.asks.map((ask) => ask.question).sort()).toEqual(['first team?', 'second team?']);
    expect(JSON.stringify(harness.lines)).not.toContain('xoxb-team-');
  });

  it('posts digests with the token of the destination’s workspace, and says what is missing otherwise', async () => {
    const { slack, harness } = await start();
    await installWorkspace(harness, slack, TEAM_ONE);
    await installWorkspace(harness, slack, TEAM_TWO);
    const digest = await new FakeBot().trendingDigest({ date: '2026-07-13' });
    const destination = (teamId?: string): DigestDestination => ({
      id: `slack:${teamId}:C5`,
      platform: 'slack',
      channelId: 'C5',
      cron: '0 9 * * *',
      timeZone: 'UTC',
      teamId,
    });
    await harness.adapter.digestSender.send(destination('T0000TWO'), digest, 'key-1');
    expect(slack.callsOf('chat.postMessage')[0]!.authorization).toBe(`Bearer ${TEAM_TWO.botToken}`);
    expect(await harness.adapter.digestSender.wasDelivered(destination('T0000TWO'), 'key-1')).toBe(true);
    expect(slack.callsOf('conversations.history')[0]!.authorization).toBe(`Bearer ${TEAM_TWO.botToken}`);
    await expect(
      harness.adapter.digestSender.send(destination(undefined), digest, 'key-2'),
    ).rejects.toMatchObject({
      code: 'SLACK_NOT_INSTALLED',
      message: expect.stringContaining('has no teamId'),
    });
    await expect(harness.adapter.digestSender.send(destination('T0000BAD'), digest, 'key-3')).rejects.toThrow(
      /not installed in Slack workspace T0000BAD/,
    );
  });
});

describe('Slack OAuth: uninstall', () => {
  it('app_uninstalled removes the workspace’s installation and calls onUninstall; others keep working', async () => {
    const { slack, harness, bot } = await start();
    await installWorkspace(harness, slack, TEAM_ONE);
    await installWorkspace(harness, slack, TEAM_TWO);
    const response = await signedPost(harness.endpoint, fromTeam('T0000ONE', { type: 'app_uninstalled' }));
    expect(response.status).toBe(200);
    await waitFor(() => harness.uninstalled.length > 0);
    expect(harness.uninstalled).toEqual(['T0000ONE']);
    expect(await installed('T0000ONE')).toBeUndefined();
    expect(await installed('T0000TWO')).toBeDefined();

    await signedPost(harness.endpoint, fromTeam('T0000ONE', mentionEvent('still there?', { channel: 'C1' })));
    await signedPost(
      harness.endpoint,
      fromTeam('T0000TWO', mentionEvent('and you?', { channel: 'C2', text: '<@UBOT2> and you?' })),
    );
    await waitFor(() => slack.callsOf('chat.postMessage').length === 1);
    await waitFor(() =>
      harness.lines.some((line) => /Authorization of incoming event did not succeed/.test(line.msg)),
    );
    expect(bot.asks.map((ask) => ask.question)).toEqual(['and you?']);
  });

  it('tokens_revoked removes the installation when the bot token is revoked, not for user tokens only', async () => {
    const { slack, harness } = await start();
    await installWorkspace(harness, slack, TEAM_TWO);
    await signedPost(
      harness.endpoint,
      fromTeam('T0000TWO', { type: 'tokens_revoked', tokens: { oauth: ['UINSTALLER'] } }),
    );
    await signedPost(
      harness.endpoint,
      fromTeam('T0000TWO', { type: 'tokens_revoked', tokens: { bot: ['UBOT2'] } }),
    );
    await waitFor(() => harness.uninstalled.length > 0);
    expect(harness.uninstalled).toEqual(['T0000TWO']);
    expect(await installed('T0000TWO')).toBeUndefined();
  });
});
