import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.ts';
import { paperPassages } from '../../src/retrieval/paper-index.ts';
import { contentHash } from '../../src/storage/content-hash.ts';
import { FakeSlack } from '../fakes/fake-slack.ts';
import { describePostgres } from '../helpers/postgres.ts';
import { runCli } from '../helpers/run-cli.ts';
import { eventually, logLines, type ServeProcess, startServe } from '../helpers/serve-process.ts';
import { copyBundledIndex } from '../helpers/temp-index.ts';
import { sign, slashCommand } from '../slack/slack-harness.ts';

// One recorded day (25 papers) on today's date: enough to kill the leader mid-embedding, small
// enough that the take-over's re-run finishes on a busy machine.
const HF_DAY = readFileSync(
  new URL('../fixtures/hf/daily_papers-limit25-2026-07-13.json', import.meta.url),
  'utf8',
);
const FEED_IDS = new Set((JSON.parse(HF_DAY) as { paper: { id: string } }[]).map((item) => item.paper.id));
const NEW_PAPER = {
  id: '2611.04242',
  title: 'Zanzibar quokka probes of middle transformer layers',
  abstract: 'We probe zanzibar quokka features in the middle layers of transformers.',
};

/**
 * A Hugging Face Daily Papers fake that holds every request until `open()`: the refresh starts
 * only when both replicas run. Today gets a recorded day; the days before are empty.
 */
class GatedFeed {
  private opened = false;
  private readonly waiting: (() => void)[] = [];
  private readonly server: Server;
  readonly requests: string[] = [];
  constructor() {
    this.server = createServer((request, response) => this.handle(request, response));
  }
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  open(): void {
    this.opened = true;
    for (const release of this.waiting.splice(0)) release();
  }
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
  private handle(request: IncomingMessage, response: ServerResponse): void {
    const send = () => {
      const url = new URL(request.url ?? '/', 'http://feed');
      this.requests.push(url.search);
      const today = new Date().toISOString().slice(0, 10);
      const body = url.searchParams.get('date') === today ? HF_DAY : '[]';
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    };
    if (this.opened) send();
    else this.waiting.push(send);
  }
}

/**
 * POSTs a signed slash command on a fresh connection (as Slack does; a reused keep-alive
 * connection can be reset by the server's idle timeout just as a request goes out), timing
 * the acknowledgement.
 */
function signedForm(url: string, body: string): Promise<{ status: number; elapsedMs: number }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': sign(body, timestamp),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, elapsedMs: performance.now() - started }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const servers: ServeProcess[] = [];
let slack: FakeSlack;
let feed: GatedFeed;
let feedUrl = '';
let index: ReturnType<typeof copyBundledIndex>;
let emptyDir = '';
afterAll(async () => {
  for (const serve of servers) if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
  await Promise.all(servers.map((serve) => serve.exited));
  await slack?.close();
  await feed?.close();
  index?.cleanup();
  if (emptyDir) rmSync(emptyDir, { recursive: true, force: true });
});

describePostgres('two serve replicas on one PostgreSQL', (databaseUrl) => {
  let db: pg.Client;
  beforeAll(async () => {
    slack = await new FakeSlack().listen();
    feed = new GatedFeed();
    feedUrl = await feed.listen();
    index = copyBundledIndex();
    emptyDir = mkdtempSync(join(tmpdir(), 'paperbot-replica-'));
    const copy = await runCli(['db', 'copy', '--to', databaseUrl()], { PAPERBOT_INDEX_DIR: index.dir });
    expect(copy.code).toBe(0);
    db = new pg.Client({ connectionString: databaseUrl() });
    await db.connect();
  }, 300_000);
  afterAll(async () => db?.end());

  const serveEnv = (): Record<string, string> => ({
    DATABASE_URL: databaseUrl(),
    PAPERBOT_INDEX_DIR: emptyDir,
    PAPERBOT_EMBEDDINGS: 'local',
    PAPERBOT_EMBED_WORKERS: '0',
    PAPERBOT_HTTP_PORT: '0',
    PAPERBOT_REFRESH_MINUTES: '60',
    HF_API_URL: feedUrl,
    SLACK_BOT_TOKEN: 'xoxb-replica-test',
    SLACK_SIGNING_SECRET: 'test-signing-secret',
    SLACK_PORT: '0',
    SLACK_API_URL: slack.apiUrl,
    PAPERBOT_MAX_WAIT_MS: '600000',
    PAPERBOT_USER_RATE_PER_MINUTE: '1000',
    PAPERBOT_CHANNEL_RATE_PER_MINUTE: '1000',
    LOG_LEVEL: 'info',
  });
  const launch = async (name: string): Promise<ServeProcess> => {
    const serve = startServe(name, serveEnv());
    servers.push(serve);
    await eventually(() => serve.stderr().includes('paperbot serve: ready ('), 120_000, `${name} ready`);
    await eventually(() => logLines(serve, 'slack adapter started').length > 0, 30_000, `${name} slack`);
    return serve;
  };
  const endpoint = (serve: ServeProcess) => {
    const address = logLines(serve, 'slack adapter started')[0]?.address as { port: number };
    return `http://127.0.0.1:${address.port}/slack/events`;
  };
  const scalar = async (sql: string): Promise<number> => Number((await db.query(sql)).rows[0]?.n ?? 0);
  let a: ServeProcess;
  let b: ServeProcess;

  it('the leader is SIGKILLed during a feed refresh: the follower takes over, nothing lost or duplicated', async () => {
    a = await launch('a');
    expect(a.stderr()).toContain('paperbot serve: leader: feed refresh');
    b = await launch('b');
    expect(b.stderr()).toContain('paperbot serve: follower:');
    expect(b.stderr()).not.toContain('paperbot serve: leader:');
    feed.open();
    // Kill once a's refresh has stored the feed's papers and is still embedding them.
    const missingSql = `SELECT COUNT(*) AS n FROM papers p WHERE NOT EXISTS (SELECT 1 FROM passages WHERE paper_id = p.id)`;
    const missingAtKill = await eventually(
      async () => {
        const hf = await scalar(`SELECT COUNT(*) AS n FROM papers WHERE source = 'hf'`);
        const missing = await scalar(missingSql);
        return hf === FEED_IDS.size && missing > 0 ? missing : undefined;
      },
      120_000,
      'a storing the feed',
    );
    a.child.kill('SIGKILL');
    const killedAt = performance.now();
    await a.exited;
    await eventually(() => b.seenAt('paperbot serve: leader:'), 60_000, 'b taking over');
    const takeOverMs = (b.seenAt('paperbot serve: leader:') as number) - killedAt;
    process.stderr.write(
      `[replicas] leader killed with ${missingAtKill} papers unembedded; take-over after ${Math.round(takeOverMs)} ms\n`,
    );
    expect(takeOverMs).toBeLessThan(30_000);
    await eventually(() => logLines(b, 'feed refresh done').length > 0, 300_000, 'b refresh');

    const papers = (await db.query<{ id: string; data: string }>('SELECT id, data FROM papers')).rows;
    expect(
      papers
        .filter((row) => FEED_IDS.has(row.id))
        .map((row) => row.id)
        .sort(),
    ).toEqual([...FEED_IDS].sort());
    expect(await scalar(missingSql)).toBe(0);
    const passages = (
      await db.query<{ paper_id: string; n: string; hashes: string[] }>(
        'SELECT paper_id, COUNT(*) AS n, ARRAY_AGG(DISTINCT content_hash) AS hashes FROM passages GROUP BY paper_id',
      )
    ).rows;
    const byId = new Map(passages.map((row) => [row.paper_id, row]));
    for (const row of papers) {
      const paper = JSON.parse(row.data) as Paper;
      expect(Number(byId.get(row.id)?.n), row.id).toBe(paperPassages(paper).length);
      expect(byId.get(row.id)?.hashes).toEqual([contentHash(paper)]);
    }
  }, 600_000);

  it('200 slash commands over both are acknowledged within 3 s and answered; an ingested paper is found through both', async () => {
    const restarted = await launch('a2');
    expect(restarted.stderr()).toContain('paperbot serve: follower:');
    const replicas = [restarted, b];
    const commands = Array.from({ length: 200 }, (_, n) => ({
      id: `cmd-${n}`,
      replica: replicas[n % 2] as ServeProcess,
      command: n % 4 === 3 ? '/ask' : '/papers',
      text: n % 4 === 3 ? 'what do intermediate layers encode?' : `probing layers ${n}`,
    }));
    const post = (replica: ServeProcess, command: string, text: string, id: string) => {
      const fields = {
        ...slashCommand(command, text, slack.responseUrl(id)),
        user_id: `U${id}`,
        trigger_id: id,
      };
      return signedForm(endpoint(replica), new URLSearchParams(fields).toString());
    };
    const file = join(emptyDir, '..', `replica-new-${process.pid}.jsonl`);
    writeFileSync(file, `${JSON.stringify(NEW_PAPER)}\n`);
    const ingest = runCli(['ingest', 'file', file, '--json'], {
      DATABASE_URL: databaseUrl(),
      PAPERBOT_INDEX_DIR: emptyDir,
      PAPERBOT_EMBEDDINGS: 'local',
      PAPERBOT_EMBED_WORKERS: '0',
    });
    // The traffic profile, not a wait: one command every 100 ms (10/s, 600 a minute), far above
    // what one workspace sends, so answers queue up behind each other while acks must not.
    // (Bolt answers 404 to a command not acknowledged within 3 s: the status check catches that.)
    const acks = await Promise.all(
      commands.map(
        (c, n) =>
          new Promise<Awaited<ReturnType<typeof post>>>((resolve, reject) => {
            setTimeout(() => post(c.replica, c.command, c.text, c.id).then(resolve, reject), n * 100);
          }),
      ),
    );
    expect(acks.map((ack) => ack.status)).toEqual(commands.map(() => 200));
    const times = acks.map((ack) => ack.elapsedMs).sort((x, y) => x - y);
    const slowest = times.at(-1) as number;
    process.stderr.write(
      `[replicas] 200 slash commands acknowledged: median ${Math.round(times[100] as number)} ms, p95 ${Math.round(times[190] as number)} ms, slowest ${Math.round(slowest)} ms\n`,
    );
    // Within 3 s is asserted by the 200s above, timed where Slack times it (on the server, from
    // the request's arrival): the times printed here, taken by this busy test process from before
    // it connects, are figures to read, not a bound.

    const ingested = await ingest;
    rmSync(file, { force: true });
    expect(ingested.code).toBe(0);
    const ingestedAt = performance.now();
    let probes = 0;
    const foundThrough = async (replica: ServeProcess) => {
      const id = `probe-${probes++}`;
      await post(replica, '/papers', 'zanzibar quokka probes', id);
      const response = await eventually(
        () => slack.responses.find((r) => r.id === id),
        60_000,
        'probe answer',
      );
      return JSON.stringify(response.body).includes(NEW_PAPER.id);
    };
    for (const replica of replicas)
      await eventually(() => foundThrough(replica), 60_000, `new paper via ${replica.name}`);
    process.stderr.write(
      `[replicas] ingested paper found through both after ${Math.round(performance.now() - ingestedAt)} ms\n`,
    );
    expect(performance.now() - ingestedAt).toBeLessThan(60_000);

    await eventually(
      () => commands.every((c) => slack.responses.some((r) => r.id === c.id)),
      300_000,
      'every command answered',
    );
    for (const c of commands) {
      const answer = JSON.stringify(slack.responses.find((r) => r.id === c.id)?.body);
      expect(answer, c.id).not.toMatch(/busy|went wrong|try again/i);
    }
    for (const replica of replicas) {
      const port = /\/healthz and \/metrics on http:\/\/127\.0\.0\.1:(\d+)/.exec(replica.stderr())?.[1];
      const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
      expect(health).toMatchObject({ status: 'ok', checks: { database: true, index: true } });
    }
    for (const replica of replicas) replica.child.kill('SIGTERM');
    expect(await Promise.all(replicas.map((replica) => replica.exited))).toEqual([0, 0]);
  }, 900_000);
});
