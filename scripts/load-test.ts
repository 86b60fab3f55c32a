// Load test, loopback only and bounded: the real core (temp copy of the bundled index, offline
// answerer) behind the work queue, in its own process (scripts/load-bot.ts) with the real Slack
// adapter in HTTP mode against a local fake Slack and the real Discord adapter (discord.js) logged
// into a local fake Discord (REST + gateway), both fakes in this process.
//
//   node bin/run-ts.mjs scripts/load-test.ts [--count 200] [--concurrency N] [--queue-size 64] [--soak-minutes N] [--rate 4]
//
// Burst: `count` signed `/ask` slash commands at once, then `count` @mentions at once, then `count`
// Discord `/ask question:` INTERACTION_CREATE events at once through the fake gateway. Every
// request must be acked within 3 s (Slack: the HTTP response; Discord: the interaction callback,
// i.e. the defer), every question answered or told the bot is busy, no error logged by the bot,
// and its heap back near the baseline after. Soak: a steady `rate` of questions per second (Slack
// commands, mentions and Discord interactions in turn) for N minutes, printing memory every 30 s.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { APOLOGY } from '../adapters/shared/failure-notice.ts';
import { SLACK_EVENTS_PATH } from '../adapters/slack/slack-adapter.ts';
import { DEFAULT_INDEX_DIR, loadConfig } from '../src/config/config.ts';
import { PACKAGE_ROOT } from '../src/corpus/bundled.ts';
import { BUSY_MESSAGE } from '../src/runtime/work-queue.ts';
import { FakeDiscord, IDS, type RestRequest } from '../tests/fakes/fake-discord.ts';
import { FakeSlack } from '../tests/fakes/fake-slack.ts';
import {
  eventCallback,
  mentionEvent,
  SIGNING_SECRET,
  signedPost,
  slashCommand,
} from '../tests/slack/slack-harness.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '200' },
    'soak-minutes': { type: 'string', default: '0' },
    rate: { type: 'string', default: '4' },
    // Default: the config's (1 without an LLM: offline answering is CPU-bound on one thread).
    concurrency: { type: 'string', default: String(loadConfig({}).maxConcurrency) },
    'queue-size': { type: 'string', default: String(loadConfig({}).queueSize) },
    'max-wait-ms': { type: 'string', default: String(loadConfig({}).maxWaitMs) },
  },
});
const COUNT = Number(values.count);
const ACK_LIMIT_MS = 3_000;
const ANSWER_TIMEOUT_MS = 120_000;
const QUESTIONS = [
  'what do intermediate layers of language models encode?',
  'how does sparse attention scale to long contexts?',
  'which papers study retrieval augmented generation?',
  'successor heads increment Monday to Tuesday',
  'how are diffusion models used for video?',
  'what is mixture of experts routing?',
];

const root = mkdtempSync(join(tmpdir(), 'paperbot-load-'));
const indexDir = join(root, 'index');
cpSync(DEFAULT_INDEX_DIR, indexDir, {
  recursive: true,
  filter: (source) => !/paperbot\.db|\.tmp-/.test(source),
});
const failures: string[] = [];
const fail = (message: string) => failures.push(message);

const percentile = (samples: number[], p: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const summary = (samples: number[]) =>
  `p50 ${percentile(samples, 50).toFixed(0)} ms  p95 ${percentile(samples, 95).toFixed(0)} ms  p99 ${percentile(samples, 99).toFixed(0)} ms  max ${Math.max(...samples).toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
const until = async (condition: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  return condition();
};

type Outcome = 'answered' | 'busy' | 'apology' | 'missing';
const classify = (text: string | undefined): Outcome =>
  text === undefined
    ? 'missing'
    : text.includes(BUSY_MESSAGE)
      ? 'busy'
      : text.includes(APOLOGY)
        ? 'apology'
        : 'answered';

const slack = await new FakeSlack().listen();
// Discord's real heartbeat interval, so the soak is not dominated by heartbeats.
const discord = await FakeDiscord.start({ heartbeatIntervalMs: 41_250 });
const botProcess = spawn(
  process.execPath,
  [
    '--expose-gc',
    join(PACKAGE_ROOT, 'bin', 'run-ts.mjs'),
    join(PACKAGE_ROOT, 'scripts', 'load-bot.ts'),
    slack.apiUrl,
    SIGNING_SECRET,
    discord.apiUrl,
  ],
  {
    cwd: PACKAGE_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      PAPERBOT_INDEX_DIR: indexDir,
      PAPERBOT_MAX_CONCURRENCY: String(values.concurrency),
      PAPERBOT_QUEUE_SIZE: String(values['queue-size']),
      PAPERBOT_MAX_WAIT_MS: String(values['max-wait-ms']),
      // The burst comes from 200 users in 20 channels; the limits under test here are the queue's.
      PAPERBOT_USER_RATE_PER_MINUTE: '1000',
      PAPERBOT_CHANNEL_RATE_PER_MINUTE: '10000',
    },
  },
);
const botLines: string[] = [];
createInterface({ input: botProcess.stdout! }).on('line', (line) => botLines.push(line));
const nextLine = async (prefix: string) => {
  const seen = botLines.length;
  await until(
    () => botLines.slice(seen).some((line) => line.startsWith(prefix)) || botProcess.exitCode !== null,
    120_000,
  );
  const line = botLines.slice(seen).find((candidate) => candidate.startsWith(prefix));
  if (!line) throw new Error(`the bot process did not print ${prefix} (exit ${botProcess.exitCode})`);
  return JSON.parse(line.slice(prefix.length + 1));
};
const ready = (await nextLine('READY')) as { slackPort: number; httpPort: number };
const endpoint = `http://127.0.0.1:${ready.slackPort}${SLACK_EVENTS_PATH}`;
interface BotMemory {
  heapUsed: number;
  rss: number;
  /** Warning and error lines the bot logged so far, and the last few. */
  log: { warnings: number; errors: number; last: string[] };
  /** Users in the discord.js cache (one per interaction's member: the cache is unbounded by default). */
  discordUsersCached: number;
}
async function memory(): Promise<BotMemory> {
  botProcess.stdin!.write('memory\n');
  return nextLine('MEMORY');
}
let sequence = 0;

/** One `/ask` slash command; resolves with its ack time and outcome. */
async function slashAsk(question: string) {
  const id = `cmd-${++sequence}`;
  const form = slashCommand('/ask', question, slack.responseUrl(id));
  form.user_id = `U${sequence}`;
  form.channel_id = `C${sequence % 20}`;
  const started = performance.now();
  const response = await signedPost(endpoint, new URLSearchParams(form).toString(), {
    contentType: 'application/x-www-form-urlencoded',
  });
  if (response.status !== 200) fail(`slash command ${id}: HTTP ${response.status}`);
  await until(() => slack.responses.some((post) => post.id === id), ANSWER_TIMEOUT_MS);
  const answeredMs = performance.now() - started;
  const post = slack.responses.find((candidate) => candidate.id === id);
  return {
    ackMs: response.elapsedMs,
    answeredMs,
    outcome: classify(post ? JSON.stringify(post.body) : undefined),
  };
}

/** One @mention; resolves with its ack time and outcome (the first reply in its thread). */
async function mention(question: string) {
  const n = ++sequence;
  const ts = `1710000000.${String(n).padStart(6, '0')}`;
  const event = mentionEvent(question, { ts, user: `U${n}`, channel: `C${n % 20}` });
  const started = performance.now();
  const response = await signedPost(endpoint, JSON.stringify(eventCallback(event)));
  if (response.status !== 200) fail(`mention ${ts}: HTTP ${response.status}`);
  const reply = () =>
    slack.calls.find((call) => call.method === 'chat.postMessage' && call.args.thread_ts === ts);
  await until(() => reply() !== undefined, ANSWER_TIMEOUT_MS);
  const answeredMs = performance.now() - started;
  const call = reply();
  return {
    ackMs: response.elapsedMs,
    answeredMs,
    outcome: classify(call ? JSON.stringify(call.args) : undefined),
  };
}

/** The fake Discord's requests per interaction token (callback, edits, follow-ups), indexed as they come. */
const byToken = new Map<string, RestRequest[]>();
let indexed = 0;
const TOKEN_IN_PATH = /^\/(?:interactions\/\d+|webhooks\/\d+)\/(interaction-token-\d+)/;
function discordRequests(token: string): RestRequest[] {
  for (; indexed < discord.requests.length; indexed++) {
    const request = discord.requests[indexed]!;
    const found = TOKEN_IN_PATH.exec(request.path)?.[1];
    if (found) byToken.set(found, [...(byToken.get(found) ?? []), request]);
  }
  return byToken.get(token) ?? [];
}
const isCallback = (request: RestRequest) => request.path.endsWith('/callback');
const isFinalEdit = (request: RestRequest) =>
  request.method === 'PATCH' && request.path.endsWith('/messages/@original');

/**
 * One Discord `/ask question:` interaction through the fake gateway; resolves with the time to the
 * interaction callback (the defer) and to the edit of the deferred reply (answer or busy notice).
 */
async function discordAsk(question: string) {
  const n = ++sequence;
  const sentAt = Date.now();
  const { token } = discord.slashCommand(
    'ask',
    { question },
    // A user per interaction, in the fake guild's two text channels.
    { userId: String(600_000_000_000_000_000n + BigInt(n)), channelId: n % 2 ? IDS.general : IDS.digests },
  );
  await until(() => discordRequests(token).some(isFinalEdit), ANSWER_TIMEOUT_MS);
  const requests = discordRequests(token);
  const callback = requests.find(isCallback);
  const edit = requests.find(isFinalEdit);
  if (!callback) fail(`discord interaction ${n}: no interaction callback`);
  else if ((callback.body as { type?: number } | undefined)?.type !== 5)
    fail(`discord interaction ${n}: callback ${JSON.stringify(callback.body).slice(0, 200)}, not a defer`);
  return {
    ackMs: callback ? callback.at - sentAt : Number.POSITIVE_INFINITY,
    answeredMs: (edit?.at ?? Date.now()) - sentAt,
    outcome:
      edit && !(edit.body?.content || (edit.body?.embeds as unknown[] | undefined)?.length)
        ? ('apology' as Outcome)
        : classify(edit ? JSON.stringify(edit.body) : undefined),
  };
}

type Result = Awaited<ReturnType<typeof slashAsk>>;
function report(name: string, results: Result[], checkAcks: boolean) {
  const counts = { answered: 0, busy: 0, apology: 0, missing: 0 };
  for (const result of results) counts[result.outcome] += 1;
  process.stdout.write(`\n${name}: ${results.length} requests\n`);
  process.stdout.write(
    `  outcomes   answered ${counts.answered}, told busy ${counts.busy}, apology ${counts.apology}, no reply ${counts.missing}\n`,
  );
  if (checkAcks) process.stdout.write(`  ack        ${summary(results.map((result) => result.ackMs))}\n`);
  process.stdout.write(`  reply      ${summary(results.map((result) => result.answeredMs))}\n`);
  const answeredOnly = results
    .filter((result) => result.outcome === 'answered')
    .map((result) => result.answeredMs);
  if (answeredOnly.length > 0) process.stdout.write(`  answered   ${summary(answeredOnly)}\n`);
  if (checkAcks && results.some((result) => result.ackMs > ACK_LIMIT_MS))
    fail(`${name}: an ack took over ${ACK_LIMIT_MS} ms`);
  if (counts.apology + counts.missing > 0)
    fail(`${name}: ${counts.apology} apologies, ${counts.missing} without a reply`);
}

function forgetFakeTraffic() {
  slack.calls.length = 0;
  slack.responses.length = 0;
  slack.messages.length = 0;
  discord.requests.length = 0;
  discord.messages.clear();
  byToken.clear();
  indexed = 0;
}

const burst = <T>(make: (question: string) => Promise<T>) =>
  Promise.all(Array.from({ length: COUNT }, (_, index) => make(QUESTIONS[index % QUESTIONS.length]!)));

try {
  // Warm-up: every path once, so the baseline includes loaded code and warmed caches.
  await Promise.all(QUESTIONS.map((question) => slashAsk(question)));
  await Promise.all(QUESTIONS.map((question) => discordAsk(question)));
  forgetFakeTraffic();
  const baseline = await memory();
  process.stdout.write(
    `paperbot load test: concurrency ${values.concurrency}, queue ${values['queue-size']}, ${COUNT} per burst, loopback only\n` +
      `baseline   heap ${mb(baseline.heapUsed)}, rss ${mb(baseline.rss)}\n`,
  );
  report('Slack /ask slash commands (signed, HTTP receiver)', await burst(slashAsk), true);
  forgetFakeTraffic();
  report('Slack @mentions (signed Events API, HTTP receiver)', await burst(mention), true);
  forgetFakeTraffic();
  report(
    'Discord /ask interactions (fake gateway -> discord.js; ack = interaction callback)',
    await burst(discordAsk),
    true,
  );
  forgetFakeTraffic();
  const after = await memory();
  const heapGrowth = after.heapUsed - baseline.heapUsed;
  process.stdout.write(
    `\nbot process after the bursts: heap ${mb(after.heapUsed)} (${heapGrowth >= 0 ? '+' : ''}${mb(heapGrowth)}), rss ${mb(after.rss)}\n` +
      `bot log: ${after.log.errors} errors, ${after.log.warnings} warnings${after.log.last.map((line) => `\n  ${line}`).join('')}\n`,
  );
  if (heapGrowth > 20 * 1_048_576) fail(`heap grew by ${mb(heapGrowth)} over the bursts`);
  if (after.log.errors > 0) fail(`the bot logged ${after.log.errors} errors`);

  const soakMinutes = Number(values['soak-minutes']);
  if (soakMinutes > 0) {
    const rate = Number(values.rate);
    process.stdout.write(
      `\nsoak: ${rate} questions/s for ${soakMinutes} min (Slack commands, mentions, Discord interactions in turn)\n`,
    );
    const soakStart = Date.now();
    const results: Result[] = [];
    const pending = new Set<Promise<void>>();
    let nextSample = soakStart;
    let tick = 0;
    const samples: number[] = [];
    while (Date.now() - soakStart < soakMinutes * 60_000) {
      const send = [slashAsk, mention, discordAsk][tick % 3]!;
      const job = send(QUESTIONS[tick % QUESTIONS.length]!).then((result) => {
        results.push(result);
        pending.delete(job);
      });
      pending.add(job);
      tick += 1;
      if (Date.now() >= nextSample) {
        const usage = await memory();
        samples.push(usage.heapUsed);
        process.stdout.write(
          `  ${String(Math.round((Date.now() - soakStart) / 1000)).padStart(4)} s  heap ${mb(usage.heapUsed)}  rss ${mb(usage.rss)}  done ${results.length}  discord.js users cached ${usage.discordUsersCached}\n`,
        );
        if (pending.size === 0) forgetFakeTraffic();
        nextSample += 30_000;
      }
      await new Promise((resolve) => setTimeout(resolve, soakStart + (tick * 1000) / rate - Date.now()));
    }
    await Promise.all(pending);
    forgetFakeTraffic();
    const end = await memory();
    samples.push(end.heapUsed);
    process.stdout.write(
      `  end    heap ${mb(end.heapUsed)}  rss ${mb(end.rss)}  discord.js users cached ${end.discordUsersCached}\n` +
        `  bot log: ${end.log.errors} errors, ${end.log.warnings} warnings${end.log.last.map((line) => `\n    ${line}`).join('')}\n`,
    );
    if (end.log.errors > after.log.errors)
      fail(`the bot logged ${end.log.errors - after.log.errors} errors in the soak`);
    report(`soak (${soakMinutes} min)`, results, true);
    const firstHalf = samples.slice(1, Math.max(2, Math.floor(samples.length / 2)));
    const secondHalf = samples.slice(Math.floor(samples.length / 2));
    const drift = Math.max(...secondHalf) - Math.max(...firstHalf);
    process.stdout.write(`  heap drift (max of 2nd half - max of 1st half): ${mb(drift)}\n`);
    if (drift > 10 * 1_048_576) fail(`soak: heap drifted up by ${mb(drift)}`);
  }
  process.stdout.write(
    `\n${failures.length === 0 ? 'PASS' : 'FAIL'}\n${failures.map((line) => `  ${line}\n`).join('')}`,
  );
  process.exitCode = failures.length === 0 ? 0 : 1;
} finally {
  botProcess.stdin!.end();
  await until(() => botProcess.exitCode !== null, 10_000);
  if (botProcess.exitCode === null) botProcess.kill('SIGKILL');
  await slack.close();
  await discord.stop();
  rmSync(root, { recursive: true, force: true });
  process.exit(process.exitCode ?? 0);
}
