// The bot under test for scripts/load-test.ts, in its own process so that the load generator
// does not share its event loop: the real core (temp index copy given as PAPERBOT_INDEX_DIR),
// the work queue, metrics, the Slack adapter in HTTP mode and, given a Discord REST base, the
// Discord adapter (a real discord.js client logged into that local fake), all on 127.0.0.1.
//
//   node --expose-gc bin/run-ts.mjs scripts/load-bot.ts <slackApiUrl> <signingSecret> [<discordApiUrl>]
//
// Prints `READY {"slackPort":…,"httpPort":…}`; on stdin, `memory` prints `MEMORY {…}` after a GC,
// with the number of warning and error log lines so far and the last few of them.
import { createInterface } from 'node:readline';
import { createDiscordAdapter } from '../adapters/discord/discord-adapter.ts';
import { createSlackAdapter } from '../adapters/slack/slack-adapter.ts';
import { loadConfig } from '../src/config/config.ts';
import { createLogger } from '../src/logger.ts';
import { createRuntime } from '../src/runtime/create-runtime.ts';
import { createHealthServer } from '../src/runtime/health-server.ts';
import { createMetrics } from '../src/runtime/metrics.ts';
import { createQueuedBot } from '../src/runtime/queued-bot.ts';
import { createWorkQueue } from '../src/runtime/work-queue.ts';

const [apiUrl, signingSecret, discordApiUrl] = process.argv.slice(2);
if (!apiUrl || !signingSecret) {
  process.stderr.write('usage: load-bot.ts <slackApiUrl> <signingSecret> [<discordApiUrl>]\n');
  process.exit(2);
}
const config = loadConfig(process.env);
/** Warning and error lines only, counted and the last few kept (the load test asserts on them). */
const logCounts = { warnings: 0, errors: 0, last: [] as string[] };
const logger = createLogger('warn', {
  write(line: string) {
    const { level, msg } = JSON.parse(line) as { level: number; msg?: string };
    if (level >= 50) logCounts.errors += 1;
    else logCounts.warnings += 1;
    logCounts.last = [...logCounts.last.slice(-4), `${level >= 50 ? 'error' : 'warn'}: ${msg ?? ''}`];
  },
});
const metrics = createMetrics();
const runtime = await createRuntime(config, logger, {
  onStage: (stage, seconds) => metrics.stage(stage, seconds),
  onRetrievalFallback: () => metrics.fallback('query-embedding', 'embedding-unavailable'),
  onAnswerFallback: (_reason, code) => metrics.fallback('llm', code),
});
const queue = createWorkQueue({
  concurrency: config.maxConcurrency,
  queueSize: config.queueSize,
  maxWaitMs: config.maxWaitMs,
  onDepthChange: (running, waiting) => metrics.queueDepth(running, waiting),
});
// One queued core for both adapters: they share the queue, as in `paperbot serve`.
const queuedBot = createQueuedBot(runtime.bot, { queue, metrics, logger });
const rateLimits = { userPerMinute: config.userRatePerMinute, channelPerMinute: config.channelRatePerMinute };
const adapter = createSlackAdapter({
  bot: queuedBot,
  config: { botToken: 'xoxb-load-test', signingSecret, port: 0, apiUrl },
  feedback: runtime.stores.feedback,
  subscriptions: runtime.stores.subscriptions,
  logger,
  rateLimits,
  host: '127.0.0.1',
  webApiRetries: 0,
});
const discord = discordApiUrl
  ? createDiscordAdapter({
      bot: queuedBot,
      config: {
        token: 'load-test-discord-token',
        applicationId: '100000000000000002',
        apiUrl: discordApiUrl,
      },
      logger,
      rateLimits,
      rest: { retries: 0 },
      waitGuildTimeoutMs: 5_000,
    })
  : undefined;
const health = createHealthServer({
  port: 0,
  host: '127.0.0.1',
  metrics,
  logger,
  checks: { index: () => runtime.index.size > 0 },
});
await adapter.start();
await discord?.start();
await health.start();
process.stdout.write(
  `READY ${JSON.stringify({ slackPort: adapter.address()?.port, httpPort: health.address()?.port })}\n`,
);

const gc = (globalThis as { gc?: () => void }).gc;
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() !== 'memory') return;
  gc?.();
  const usage = process.memoryUsage();
  process.stdout.write(
    `MEMORY ${JSON.stringify({ heapUsed: usage.heapUsed, rss: usage.rss, gc: Boolean(gc), running: queue.running, waiting: queue.waiting, log: logCounts, discordUsersCached: discord?.client.users.cache.size ?? 0 })}\n`,
  );
});
lines.on('close', async () => {
  await adapter.stop();
  await discord?.stop();
  await health.stop();
  await runtime.close();
  process.exit(0);
});
