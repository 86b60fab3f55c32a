import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSlackAdapter,
  SLACK_EVENTS_PATH,
  type SlackAdapter,
} from '../../adapters/slack/slack-adapter.ts';
import { openPostgres } from '../../src/postgres/connection.ts';
import { PostgresEventDedupRepository } from '../../src/postgres/event-dedup-repository.ts';
import { openDatabase } from '../../src/storage/database.ts';
import {
  type EventDedupRepository,
  SqliteEventDedupRepository,
} from '../../src/storage/event-dedup-repository.ts';
import { FakeBot } from '../fakes/fake-bot.ts';
import { FakeSlack, waitFor } from '../fakes/fake-slack.ts';
import { type LogLine, recordingLogger } from '../fakes/recording-logger.ts';
import { describePostgres } from '../helpers/postgres.ts';
import { eventCallback, mentionEvent, SIGNING_SECRET, sign } from './slack-harness.ts';

/** One replica: a Bolt app in HTTP mode with its own logger, sharing the event-claims store. */
interface Replica {
  adapter: SlackAdapter;
  endpoint: string;
  lines: LogLine[];
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startReplicas(
  slack: FakeSlack,
  bot: FakeBot,
  stores: EventDedupRepository[],
): Promise<Replica[]> {
  const replicas: Replica[] = [];
  for (const eventDedup of stores) {
    const { logger, lines } = recordingLogger();
    const adapter = createSlackAdapter({
      bot,
      config: { botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, port: 0, apiUrl: slack.apiUrl },
      eventDedup,
      logger,
      rateLimits: { userPerMinute: 100, channelPerMinute: 100 },
      host: '127.0.0.1',
      webApiRetries: 0,
    });
    await adapter.start();
    cleanups.push(() => adapter.stop());
    replicas.push({
      adapter,
      lines,
      endpoint: `http://127.0.0.1:${adapter.address()!.port}${SLACK_EVENTS_PATH}`,
    });
  }
  return replicas;
}

/** POSTs `body` as Slack signs it at `timestamp`, optionally as a retry (`X-Slack-Retry-Num`). */
async function deliver(endpoint: string, body: string, timestamp: number, retry?: number) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(body, timestamp),
      ...(retry ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } : {}),
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

const logged = (replicas: Replica[], pattern: RegExp) =>
  replicas.flatMap((replica) => replica.lines).filter((line) => pattern.test(line.msg)).length;

/** The de-duplication behaviour, for two replicas on one shared store of either backend. */
function sharedDedupBehaviour(openStores: () => Promise<EventDedupRepository[]>) {
  it('answers an event once when Slack retries it to the other replica', async () => {
    const slack = await new FakeSlack().listen();
    cleanups.push(() => slack.close());
    const bot = new FakeBot();
    const [first, second] = await startReplicas(slack, bot, await openStores());
    const body = JSON.stringify(eventCallback(mentionEvent('asked once?')));
    const now = Math.floor(Date.now() / 1000);
    expect((await deliver(first!.endpoint, body, now)).status).toBe(200);
    await waitFor(() => slack.callsOf('chat.postMessage').length === 1);
    // The retry has a new timestamp, so a new signature: only the event id tells it is the same event.
    expect((await deliver(second!.endpoint, body, now + 1, 1)).status).toBe(200);
    await waitFor(() => logged([second!], /slack event already handled: ignored/) === 1);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
    expect(bot.asks).toHaveLength(1);
  });

  it('answers once when the same event reaches both replicas at the same moment', async () => {
    const slack = await new FakeSlack().listen();
    cleanups.push(() => slack.close());
    const bot = new FakeBot();
    const replicas = await startReplicas(slack, bot, await openStores());
    const now = Math.floor(Date.now() / 1000);
    for (let round = 0; round < 5; round++) {
      const body = JSON.stringify(
        eventCallback(mentionEvent(`race ${round}?`, { ts: `1710000000.00000${round}` })),
      );
      await Promise.all([
        deliver(replicas[0]!.endpoint, body, now),
        deliver(replicas[1]!.endpoint, body, now + 1, 1),
      ]);
    }
    await waitFor(() => logged(replicas, /slack event already handled: ignored/) === 5);
    await waitFor(() => slack.callsOf('chat.postMessage').length === 5);
    expect(bot.asks.map((ask) => ask.question).sort()).toEqual(
      [0, 1, 2, 3, 4].map((round) => `race ${round}?`),
    );
  });

  it('answers a replayed signed request once, whichever replica gets the copy', async () => {
    const slack = await new FakeSlack().listen();
    cleanups.push(() => slack.close());
    const bot = new FakeBot();
    const [first, second] = await startReplicas(slack, bot, await openStores());
    // Signed once, sent to both: the request claim catches it before any of Bolt's code runs.
    const body = JSON.stringify({ ...eventCallback(mentionEvent('replayed?')), event_id: undefined });
    const now = Math.floor(Date.now() / 1000);
    const answers = await Promise.all([
      deliver(first!.endpoint, body, now),
      deliver(second!.endpoint, body, now),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await waitFor(() => slack.callsOf('chat.postMessage').length === 1);
    expect(logged([first!, second!], /slack request replayed: ignored/)).toBe(1);
    expect(bot.asks).toHaveLength(1);
  });
}

describe('Slack event de-duplication in Socket Mode', () => {
  it('answers an event Slack sends again over the socket (a retry) once', async () => {
    const slack = await new FakeSlack().listen();
    cleanups.push(() => slack.close());
    const database = openDatabase(':memory:');
    cleanups.push(() => {
      database.close();
    });
    const bot = new FakeBot();
    const { logger, lines } = recordingLogger();
    const adapter = createSlackAdapter({
      bot,
      config: { botToken: 'xoxb-test', appToken: 'xapp-test', apiUrl: slack.apiUrl },
      eventDedup: new SqliteEventDedupRepository(database),
      logger,
      rateLimits: { userPerMinute: 100, channelPerMinute: 100 },
      webApiRetries: 0,
    });
    await adapter.start();
    cleanups.push(() => adapter.stop());
    await waitFor(() => slack.socketConnected);
    const event = eventCallback(mentionEvent('over the socket?'));
    const first = slack.sendEnvelope('events_api', event);
    await waitFor(() => slack.callsOf('chat.postMessage').length === 1);
    const retry = slack.sendEnvelope('events_api', event);
    await waitFor(() => lines.some((line) => /slack event already handled: ignored/.test(line.msg)));
    await waitFor(() => slack.acks.has(first) && slack.acks.has(retry));
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
    expect(bot.asks).toHaveLength(1);
  });
});

describe('Slack event de-duplication across replicas: SQLite (two connections to one file)', () => {
  sharedDedupBehaviour(async () => {
    const directory = mkdtempSync(join(tmpdir(), 'paperbot-dedup-'));
    const databases = [0, 1].map(() => openDatabase(join(directory, 'paperbot.db')));
    cleanups.push(() => {
      for (const database of databases) database.close();
      rmSync(directory, { recursive: true, force: true });
    });
    return databases.map((database) => new SqliteEventDedupRepository(database));
  });
});

describePostgres('Slack event de-duplication across replicas: PostgreSQL (two pools)', (databaseUrl) => {
  sharedDedupBehaviour(async () => {
    const pools = await Promise.all([0, 1].map(() => openPostgres(databaseUrl())));
    cleanups.push(async () => {
      await Promise.all(pools.map((pool) => pool.end()));
    });
    await pools[0]!.query('TRUNCATE event_claims');
    return pools.map((pool) => new PostgresEventDedupRepository(pool));
  });
});
