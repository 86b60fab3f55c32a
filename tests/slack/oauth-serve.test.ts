import { afterEach, describe, expect, it } from 'vitest';
import { databasePath, openDatabase } from '../../src/storage/database.ts';
import { SqliteInstallationRepository } from '../../src/storage/installation-repository.ts';
import { FAKE_OAUTH_CLIENT, waitFor } from '../fakes/fake-slack.ts';
import { startSlackServe } from '../helpers/serve-process.ts';
import { installWorkspace, STATE_SECRET } from './oauth-harness.ts';
import { eventCallback, mentionEvent, SIGNING_SECRET, signedPost } from './slack-harness.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('paperbot serve with Slack OAuth', () => {
  it('installs a workspace, keeps it in paperbot.db and answers there with its token, never logging it', async () => {
    const { serve, slack, indexDir, slackAddress } = await startSlackServe({
      SLACK_CLIENT_ID: FAKE_OAUTH_CLIENT.clientId,
      SLACK_CLIENT_SECRET: FAKE_OAUTH_CLIENT.clientSecret,
      SLACK_STATE_SECRET: STATE_SECRET,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      LOG_LEVEL: 'debug',
    });
    const { child, exited, stderr } = serve;
    expect(stderr()).toContain('slack (http mode, OAuth: many workspaces) started');
    const baseUrl = `http://127.0.0.1:${slackAddress.port}`;

    const workspace = { teamId: 'T0SERVE1', botToken: 'xoxb-serve-team-secret', botUserId: 'UBOTS' };
    expect((await installWorkspace({ baseUrl }, slack, workspace)).status).toBe(200);
    const body = JSON.stringify({
      ...eventCallback(
        mentionEvent('what do intermediate layers encode?', {
          text: '<@UBOTS> what do intermediate layers encode?',
        }),
      ),
      team_id: 'T0SERVE1',
    });
    expect((await signedPost(`${baseUrl}/slack/events`, body)).status).toBe(200);
    const post = await waitFor(() => slack.callsOf('chat.postMessage')[0], 60_000);
    expect(post.authorization).toBe(`Bearer ${workspace.botToken}`);
    // The same event again (a retry to this or another replica) is not answered twice.
    await signedPost(`${baseUrl}/slack/events`, body, { timestamp: Math.floor(Date.now() / 1000) + 1 });
    await waitFor(() => stderr().includes('slack event already handled: ignored'), 30_000);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
    expect(stderr()).not.toContain(workspace.botToken);
    expect(stderr()).not.toContain(FAKE_OAUTH_CLIENT.clientSecret);
    const database = openDatabase(databasePath(indexDir));
    cleanups.push(() => database.close());
    const stored = await new SqliteInstallationRepository(database).find({
      teamId: 'T0SERVE1',
      isEnterpriseInstall: false,
    });
    expect(JSON.parse(stored!.data).bot.token).toBe(workspace.botToken);
  });
});
