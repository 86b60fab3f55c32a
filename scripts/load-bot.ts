// The bot under test for scripts/load-test.ts, in its own process so that the load generator
// does not share its event loop: the real core (temp index copy given as PAPERBOT_INDEX_DIR),
// the work queue, metrics and the Slack adapter in HTTP mode, all on 127.0.0.1.
//
//   node --expose-gc bin/run-ts.mjs scripts/load-bot.ts <slackApiUrl> <signingSecret>
//
// Prints `READY {"slackPort":…,"httpPort":…}`; on stdin, `memory` prints `MEMORY {…}` after a GC.
import { createInterface } from 'node:readline';
import { createSlackAdapter } from '../adapters/slack/slack-adapter.ts';
import { loadConfig } from '../src/config/config.ts';
import { silentLogger } from '../src/logger.ts';
import { createHealthServer } from '../src/runtime/health-server.ts';
import { createMetrics } from '../src/runtime/metrics.ts';
import { createQueuedBot } from '../src/runtime/queued-bot.ts';
import { createWorkQueue } from '../src/runtime/work-queue.ts';
import { createRuntime } from '../src/runtime.ts';

const [apiUrl, signingSecret] = process.argv.slice(2);
if (!apiUrl || !signingSecret) {
  process.stderr.write('usage: load-bot.ts <slackApiUrl> <signingSecret>\n');
  process.exit(2);
}
const config = loadConfig(process.env);
const logger = silentLogger();
const metrics = createMetrics();
const runtime = await createRuntime(config, logger, {
  onStage: (stage, seconds) => metrics.stage(stage, seconds),
  onRetrievalFallback: () => metrics.fallback('query-embedding', 'embedding-unavailable'),
  onAnswerFallback: (_reason, code) => metrics.fallback('llm', code),
});
const queue = createWorkQueue({
  concurrency: config.maxConcurrency,
  queueSize: config.queueSize,
  onDepthChange: (running, waiting) => metrics.queueDepth(running, waiting),
});
const adapter = createSlackAdapter({
  bot: createQueuedBot(runtime.bot, { queue, metrics, logger }),
  config: { botToken: 'xoxb-load-test', signingSecret, port: 0, apiUrl },
  database: runtime.database(),
  logger,
  rateLimits: { userPerMinute: config.userRatePerMinute, channelPerMinute: config.channelRatePerMinute },
  host: '127.0.0.1',
  webApiRetries: 0,
});
const health = createHealthServer({
  port: 0,
  host: '127.0.0.1',
  metrics,
  logger,
  checks: { index: () => runtime.index.size > 0 },
});
await adapter.start();
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
    `MEMORY ${JSON.stringify({ heapUsed: usage.heapUsed, rss: usage.rss, gc: Boolean(gc), running: queue.running, waiting: queue.waiting })}\n`,
  );
});
lines.on('close', async () => {
  await adapter.stop();
  await health.stop();
  await runtime.close();
  process.exit(0);
});
