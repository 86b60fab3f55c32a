import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partNonce } from '../../adapters/discord/digest-sender.ts';
import { systemClock } from '../../src/clock.ts';
import type { Paper } from '../../src/corpus/paper.ts';
import { openPostgres, type PostgresPool } from '../../src/postgres/connection.ts';
import { createPostgresDigestLedger } from '../../src/postgres/digest-ledger.ts';
import { PostgresPaperRepository } from '../../src/postgres/paper-repository.ts';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.ts';
import { SqliteInstallationRepository } from '../../src/storage/installation-repository.ts';
import { createDigestLedger, type DigestLedger, digestKey } from '../../src/trending/digest-ledger.ts';
import { FakeDiscord, IDS, waitFor } from '../fakes/fake-discord.ts';
import { FakeSlack } from '../fakes/fake-slack.ts';
import { HoldingProxy, type HoldMode } from '../fakes/holding-proxy.ts';
import { describePostgres } from '../helpers/postgres.ts';
import { CLI, type CliResult, runCli } from '../helpers/run-cli.ts';
import { copyBundledIndex } from '../helpers/temp-index.ts';
import { dayOfPapers, insertPapers } from '../trending/trending-fixtures.ts';

const DESTINATION = 'discord:digests';
const DAYS = ['2026-06-01', '2026-06-02', '2026-06-03', '2026-06-04', '2026-06-05'];
const PAPERS = DAYS.flatMap((day) => dayOfPapers(day, 4));

/** How a suite reaches its backend: the CLI's environment, seeding, and the ledger to inspect. */
interface Backend {
  env(): Record<string, string>;
  seed(papers: Paper[]): Promise<void>;
  ledger(): DigestLedger;
  close(): Promise<void>;
}

/** Runs `paperbot <args>` in a child process, handing back the child so a test can kill it. */
function startCli(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

/** The digest posts of (destination, run day) that reached the fake: one request per part. */
function postsOf(discord: FakeDiscord, date: string) {
  const nonce = partNonce(digestKey(DESTINATION, date), 0);
  return discord
    .requestsTo('POST', new RegExp(`^/channels/${IDS.digests}/messages$`))
    .filter((request) => request.body?.nonce === nonce);
}

function digestSendSuite(open: () => Promise<Backend>): void {
  let backend: Backend;
  let discord: FakeDiscord;
  let configDir = '';
  let configFile = '';
  beforeAll(async () => {
    backend = await open();
    await backend.seed(PAPERS);
    discord = await FakeDiscord.start();
    configDir = mkdtempSync(join(tmpdir(), 'paperbot-digest-config-'));
    configFile = join(configDir, 'digests.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        destinations: [
          {
            id: DESTINATION,
            platform: 'discord',
            channelId: IDS.digests,
            cron: '0 9 * * *',
            timeZone: 'UTC',
            limit: 3,
          },
        ],
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await discord?.stop();
    await backend?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });
  const env = (apiUrl = discord.apiUrl) => ({
    ...backend.env(),
    PAPERBOT_DIGEST_CONFIG: configFile,
    DISCORD_TOKEN: 'test-token',
    DISCORD_API_URL: apiUrl,
    PAPERBOT_EMBED_WORKERS: '0',
  });
  const send = (date: string, extra: string[] = [], apiUrl?: string) =>
    startCli(['digest', 'send', '--destination', DESTINATION, '--date', date, ...extra], env(apiUrl));

  it('posts exactly one digest when two digest send for the same day start at once', async () => {
    const results = await Promise.all([send('2026-06-02').done, send('2026-06-02').done]);
    expect(postsOf(discord, '2026-06-02')).toHaveLength(1);
    const posted = results.filter((result) =>
      /^Posted the digest of discord:digests for 2026-06-02/.test(result.stdout),
    );
    expect(posted).toHaveLength(1);
    expect(posted[0]!.stdout).toMatch(
      /\(message \d+\): 3 papers of 2026-06-01: 2606\.10100, 2606\.10101, 2606\.10102\./,
    );
    // The other one saw the claim: already sent (exit 0), still in doubt while the first posted
    // (exit 1), or posted but not yet recorded, which the platform confirms (exit 0): never twice.
    const other = results.find((result) => result !== posted[0])!;
    expect(`${other.stdout}${other.stderr}`).toMatch(
      /already sent at|is in doubt: claimed by|had posted it but not recorded it yet/,
    );
    expect((await backend.ledger().get(DESTINATION, '2026-06-02'))?.status).toBe('sent');

    const again = await send('2026-06-02', ['--json']).done;
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'done', posted: true, covers: '2026-06-01' });
    expect(postsOf(discord, '2026-06-02')).toHaveLength(1);
  }, 240_000);

  const killMidSend = async (date: string, mode: HoldMode) => {
    const proxy = await HoldingProxy.start(`http://127.0.0.1:${discord.port}`, {
      method: 'POST',
      path: /\/channels\/\d+\/messages$/,
      mode,
    });
    try {
      const { child, done } = send(date, [], `${proxy.url}/api`);
      await waitFor(() => proxy.held.length > 0, 120_000);
      child.kill('SIGKILL');
      expect((await done).code).toBeNull();
    } finally {
      await proxy.stop();
    }
    expect(await backend.ledger().get(DESTINATION, date)).toMatchObject({ status: 'sending', attempts: 1 });
  };

  it('completes a digest send killed after posting and before recording, without posting again', async () => {
    await killMidSend('2026-06-03', 'forward-then-hold');
    expect(postsOf(discord, '2026-06-03')).toHaveLength(1);
    const history = discord.requestsTo('GET', /\/messages$/).length;

    const rerun = await send('2026-06-03').done;
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(
      /Recorded the digest of discord:digests for 2026-06-03 as sent: another run \(.*\) had posted it but not recorded it yet, or was interrupted/,
    );
    expect(discord.requestsTo('GET', /\/messages$/).length).toBeGreaterThan(history); // asked wasDelivered
    expect(postsOf(discord, '2026-06-03')).toHaveLength(1);
    expect((await backend.ledger().get(DESTINATION, '2026-06-03'))?.status).toBe('sent');
  }, 240_000);

  it('leaves a digest send killed before posting in doubt until --take-over, then posts it once', async () => {
    await killMidSend('2026-06-04', 'hold');
    expect(postsOf(discord, '2026-06-04')).toHaveLength(0);

    const waiting = await send('2026-06-04').done;
    expect(waiting.code).toBe(1);
    expect(waiting.stderr).toMatch(/is in doubt: claimed by .+ and not found on the platform.*--take-over/);
    expect(postsOf(discord, '2026-06-04')).toHaveLength(0);

    const taken = await send('2026-06-04', ['--take-over', '--json']).done;
    expect(taken.code).toBe(0);
    expect(JSON.parse(taken.stdout)).toMatchObject({ outcome: 'sent', covers: '2026-06-03', posted: true });
    expect(postsOf(discord, '2026-06-04')).toHaveLength(1);
    expect(await backend.ledger().get(DESTINATION, '2026-06-04')).toMatchObject({
      status: 'sent',
      attempts: 2,
    });
  }, 240_000);

  it('names the known destinations and how to add one for an unknown id', async () => {
    const result = await startCli(['digest', 'send', '--destination', 'slack:nope'], env()).done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /No digest destination "slack:nope"\. Known: discord:digests\. Add it to the digest config file \(PAPERBOT_DIGEST_CONFIG\) or use \/subscribe/,
    );
  }, 120_000);
}

describe('paperbot digest send on the embedded store', () => {
  digestSendSuite(async () => {
    const index = copyBundledIndex();
    const databases: SqliteDatabase[] = [];
    const open = () => {
      const database = openDatabase(join(index.dir, 'paperbot.db'));
      databases.push(database);
      return database;
    };
    return {
      env: () => ({ PAPERBOT_INDEX_DIR: index.dir }),
      seed: async (papers) => insertPapers(open(), papers),
      ledger: () => createDigestLedger(open(), { clock: systemClock }),
      close: async () => {
        for (const database of databases) database.close();
        index.cleanup();
      },
    };
  });
});

describePostgres('paperbot digest send and trending on PostgreSQL (empty index directory)', (url) => {
  let pool: PostgresPool;
  let emptyDir = '';
  digestSendSuite(async () => {
    pool = await openPostgres(url());
    emptyDir = mkdtempSync(join(tmpdir(), 'paperbot-empty-index-'));
    return {
      env: () => ({ DATABASE_URL: url(), PAPERBOT_INDEX_DIR: emptyDir }),
      seed: async (papers) => {
        await new PostgresPaperRepository(pool).upsert(papers);
      },
      ledger: () => createPostgresDigestLedger(pool, { clock: systemClock }),
      close: async () => {
        await pool.end();
        rmSync(emptyDir, { recursive: true, force: true });
      },
    };
  });

  it('trending previews a Daily-Papers day from PostgreSQL only', async () => {
    const env = { DATABASE_URL: url(), PAPERBOT_INDEX_DIR: emptyDir, PAPERBOT_EMBED_WORKERS: '0' };
    const newest = await runCli(['trending', '--json'], env);
    expect(newest.stderr).not.toMatch(/paperbot:/);
    expect(newest.code).toBe(0);
    expect(JSON.parse(newest.stdout)).toMatchObject({ date: '2026-06-05' });
    const day = await runCli(['trending', '--date', '2026-06-01', '--limit', '2', '--json'], env);
    expect(JSON.parse(day.stdout).items.map((item: { paperId: string }) => item.paperId)).toEqual([
      '2606.10100',
      '2606.10101',
    ]);
    expect(readdirSync(emptyDir)).toEqual([]);
  }, 120_000);
});

describe('paperbot digest send to Slack (Web API, no Socket Mode)', () => {
  let index: ReturnType<typeof copyBundledIndex>;
  let slack: FakeSlack;
  beforeAll(async () => {
    index = copyBundledIndex();
    const database = openDatabase(join(index.dir, 'paperbot.db'));
    insertPapers(database, PAPERS);
    database.close();
    writeFileSync(
      join(index.dir, 'digests.json'),
      JSON.stringify({
        destinations: [
          { id: 'slack:C42', platform: 'slack', channelId: 'C42', cron: '0 9 * * *', timeZone: 'UTC' },
        ],
      }),
    );
    slack = await new FakeSlack().listen();
  });
  afterAll(async () => {
    await slack?.close();
    index?.cleanup();
  });

  it('posts with the key in message metadata and prints the message ts; a rerun says when it was sent', async () => {
    const env = {
      PAPERBOT_INDEX_DIR: index.dir,
      PAPERBOT_DIGEST_CONFIG: join(index.dir, 'digests.json'),
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.apiUrl,
      PAPERBOT_EMBED_WORKERS: '0',
    };
    const args = ['digest', 'send', '--destination', 'slack:C42', '--date', '2026-06-02'];
    const first = await runCli(args, env);
    expect(first.stderr).not.toMatch(/paperbot:/);
    expect(first.code).toBe(0);
    const [post, ...more] = slack.callsOf('chat.postMessage');
    expect(more).toHaveLength(0);
    expect(post?.args.metadata).toEqual({
      event_type: 'paperbot_digest',
      event_payload: { key: digestKey('slack:C42', '2026-06-02') },
    });
    const ts = slack.messages.find((message) => message.channel === 'C42')?.ts;
    expect(first.stdout).toContain(
      `Posted the digest of slack:C42 for 2026-06-02 (message ${ts}): 4 papers of 2026-06-01`,
    );
    const again = await runCli(args, env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /Not posted: the digest of slack:C42 for 2026-06-02 was already sent at 20\d\d-/,
    );
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
  }, 180_000);

  it('with OAuth (many workspaces) posts with the stored token of the destination workspace', async () => {
    const database = openDatabase(join(index.dir, 'paperbot.db'));
    await new SqliteInstallationRepository(database).save({
      teamId: 'T9',
      isEnterpriseInstall: false,
      data: JSON.stringify({ team: { id: 'T9' }, bot: { token: 'xoxb-workspace-nine' } }),
    });
    database.close();
    const config = join(index.dir, 'digests-oauth.json');
    writeFileSync(
      config,
      JSON.stringify({
        destinations: [
          {
            id: 'slack:C77',
            platform: 'slack',
            channelId: 'C77',
            teamId: 'T9',
            cron: '0 9 * * *',
            timeZone: 'UTC',
          },
        ],
      }),
    );
    const result = await runCli(['digest', 'send', '--destination', 'slack:C77', '--date', '2026-06-02'], {
      PAPERBOT_INDEX_DIR: index.dir,
      PAPERBOT_DIGEST_CONFIG: config,
      SLACK_CLIENT_ID: '1111.2222',
      SLACK_CLIENT_SECRET: 'client-secret',
      SLACK_STATE_SECRET: 'state-secret',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.apiUrl,
      PAPERBOT_EMBED_WORKERS: '0',
    });
    expect(result.stderr).not.toMatch(/paperbot:/);
    expect(result.code).toBe(0);
    const posts = slack.callsOf('chat.postMessage').filter((call) => call.args.channel === 'C77');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.authorization ?? `Bearer ${String(posts[0]?.args.token)}`).toBe(
      'Bearer xoxb-workspace-nine',
    );
  }, 180_000);
});

describe('paperbot digest usage', () => {
  it('prints its usage for --help, and exits 2 on a bad command line before loading anything', async () => {
    const absent = { PAPERBOT_INDEX_DIR: join(tmpdir(), 'paperbot-absent-index') };
    const help = await runCli(['digest', 'send', '--help'], absent);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /^Usage: paperbot digest send --destination ID \[--date YYYY-MM-DD\] \[--take-over\]/,
    );
    const cases: [string[], RegExp][] = [
      [['digest'], /Missing subcommand "send"/],
      [['digest', 'post'], /Unknown "post"/],
      [['digest', 'send'], /--destination is required/],
      [
        ['digest', 'send', '--destination', 'discord:1', '--date', '2026-02-30'],
        /--date: Date "2026-02-30" is not a day/,
      ],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli([...args, '--json'], absent)));
    results.forEach((result, index) => {
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(cases[index]![1]);
      expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'USAGE' } });
    });
  }, 120_000);
});
