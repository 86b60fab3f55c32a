import type { AddressInfo } from 'node:net';
import type { Bot } from '../../../src/bot-types.ts';
import type { Config } from '../../../src/config/config.ts';
import { describeError } from '../../../src/errors.ts';
import { createLogger, type Logger } from '../../../src/logger.ts';
import { countedSender } from '../../../src/runtime/counted-sender.ts';
import { createRuntime } from '../../../src/runtime/create-runtime.ts';
import { createHealthServer, type HealthServer } from '../../../src/runtime/health-server.ts';
import { createMetrics, type Metrics } from '../../../src/runtime/metrics.ts';
import { createOutputGuardedBot } from '../../../src/runtime/output-guarded-bot.ts';
import { createQueuedBot } from '../../../src/runtime/queued-bot.ts';
import { installRejectionGuard } from '../../../src/runtime/rejection-guard.ts';
import { configSecrets } from '../../../src/runtime/secrets.ts';
import { createShutdown, type ShutdownStep } from '../../../src/runtime/shutdown.ts';
import type { Stores } from '../../../src/runtime/stores.ts';
import { createWorkQueue } from '../../../src/runtime/work-queue.ts';
import { createDigestRunner } from '../../../src/trending/digest-runner.ts';
import type { DigestSender } from '../../../src/trending/types.ts';
import { createDiscordAdapter } from '../../discord/discord-adapter.ts';
import { createSlackAdapter } from '../../slack/slack-adapter.ts';
import { type CliCommand, EXIT } from '../context.ts';
import { CORPUS_CHECK_MS, startLeaderRefresh } from './serve-refresh.ts';

export const USAGE = `Usage: paperbot serve

Runs the chat adapters whose variables are set (Slack, Discord), the digest scheduler, the feed
refresh and, with PAPERBOT_HTTP_PORT, /healthz and /metrics. Stops cleanly on SIGTERM or SIGINT.
PAPERBOT_ROLES (answer,refresh,digest; default all) pins what this process does. With
DATABASE_URL, any number of replicas may run: one at a time is elected to run the feed refresh.
`;

/** Time in-flight answers get to finish on shutdown. */
const DRAIN_DEADLINE_MS = 10_000;

/** A chat adapter as `serve` drives it. */
interface RunningAdapter {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  digestSender?: DigestSender;
}

/** The adapters whose variables are set, and a line per adapter that is off saying how to enable it. */
function buildAdapters(
  config: Config,
  bot: Bot,
  stores: Stores,
  logger: Logger,
): { adapters: RunningAdapter[]; off: string[] } {
  const adapters: RunningAdapter[] = [];
  const off: string[] = [];
  if (!config.roles.has('answer')) {
    return { adapters, off: ['chat adapters off (PAPERBOT_ROLES has no "answer")'] };
  }
  const rateLimits = {
    userPerMinute: config.userRatePerMinute,
    channelPerMinute: config.channelRatePerMinute,
  };
  // One limiter for both adapters: on PostgreSQL its buckets are shared with the other replicas.
  const limiter = stores.rateLimiter(rateLimits, logger);
  if (config.slack) {
    const slack = createSlackAdapter({
      bot,
      config: config.slack,
      subscriptions: stores.subscriptions,
      feedback: stores.feedback,
      installations: stores.installations,
      eventDedup: stores.eventDedup,
      // A workspace that uninstalled the app gets no more digests.
      onUninstall: async (teamId) => {
        const removed = await stores.subscriptions.removeForTeam(teamId);
        logger.info({ teamId, removed }, 'slack workspace uninstalled: its digest subscriptions removed');
      },
      logger,
      rateLimits,
      limiter,
      host: config.httpHost,
    });
    adapters.push({
      name: `slack (${slack.mode} mode${slack.workspaces === 'oauth' ? ', OAuth: many workspaces' : ''})`,
      start: () => slack.start(),
      stop: () => slack.stop(),
      digestSender: slack.digestSender,
    });
  } else {
    off.push(
      'Slack: off (set SLACK_BOT_TOKEN and SLACK_APP_TOKEN, or SLACK_SIGNING_SECRET for HTTP mode; or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and SLACK_SIGNING_SECRET for many workspaces)',
    );
  }
  if (config.discord) {
    const discord = createDiscordAdapter({
      bot,
      config: config.discord,
      subscriptions: stores.subscriptions,
      logger,
      rateLimits,
      limiter,
      identifyGate: stores.spacedGate,
    });
    adapters.push({
      name: 'discord',
      start: () => discord.start(),
      stop: () => discord.stop(),
      digestSender: discord.digestSender,
    });
  } else {
    off.push('Discord: off (set DISCORD_TOKEN and DISCORD_APPLICATION_ID)');
  }
  return { adapters, off };
}

/** `http://host:port` of a bound address, IPv6 hosts in brackets. */
function httpUrl(address: AddressInfo | undefined): string {
  if (!address) return 'an unknown address';
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Runtime hooks that feed the metrics: stage latencies and fallbacks. */
function runtimeObservers(metrics: Metrics) {
  return {
    onStage: (stage: 'retrieval' | 'answer', seconds: number) => metrics.stage(stage, seconds),
    onRetrievalFallback: () => metrics.fallback('query-embedding', 'embedding-unavailable'),
    onAnswerFallback: (_reason: string, code: string) => metrics.fallback('llm', code),
  };
}

/** `paperbot serve`: the long-running process that composes everything. */
export const serveCommand: CliCommand = async (args, context) => {
  if (args.includes('--help') || args.includes('-h')) {
    context.out(USAGE);
    return EXIT.ok;
  }
  if (args.length > 0) {
    context.err(`Unknown argument "${args[0]}".\n${USAGE}`);
    return EXIT.usage;
  }
  const { config } = context;
  // serve logs at LOG_LEVEL (default info) and scrubs every configured secret from its lines.
  const logger = createLogger(config.logLevel, undefined, { secrets: configSecrets(config) });
  const metrics = createMetrics();
  // One rejection nobody handled (inside a library, say) must not take Slack, Discord and digests down.
  const removeRejectionGuard = installRejectionGuard(logger, metrics);
  const runtime = await createRuntime(config, logger, runtimeObservers(metrics));
  const queue = createWorkQueue({
    concurrency: config.maxConcurrency,
    queueSize: config.queueSize,
    maxWaitMs: config.maxWaitMs,
    onDepthChange: (running, waiting) => metrics.queueDepth(running, waiting),
  });
  const bot = createOutputGuardedBot(
    createQueuedBot(runtime.bot, { queue, metrics, logger }),
    configSecrets(config),
  );
  const { adapters, off } = buildAdapters(config, bot, runtime.stores, logger);
  for (const line of off) context.err(`paperbot serve: ${line}\n`);

  const release: ShutdownStep[] = [];
  let closed = false;
  let shuttingDown = false;
  let health: HealthServer | undefined;
  if (config.httpPort !== undefined) {
    health = createHealthServer({
      port: config.httpPort,
      host: config.httpHost,
      metrics,
      logger,
      checks: {
        index: () => !closed && runtime.corpus.size > 0,
        database: async () => !closed && (await runtime.storeHealthy()),
        accepting: () => !shuttingDown,
      },
    });
    await health.start();
    context.err(`paperbot serve: /healthz and /metrics on ${httpUrl(health.address())}\n`);
  } else {
    context.err('paperbot serve: health and metrics off (set PAPERBOT_HTTP_PORT)\n');
  }

  if (config.databaseUrl) {
    runtime.watchCorpus(CORPUS_CHECK_MS, () =>
      logger.info({ papers: runtime.corpus.size }, 'papers changed in PostgreSQL: corpus reloaded'),
    );
  }
  if (!config.roles.has('refresh')) {
    context.err('paperbot serve: feed refresh off (PAPERBOT_ROLES has no "refresh")\n');
  } else if (config.refreshMinutes > 0) {
    release.push((await startLeaderRefresh(runtime, logger, context.err)).release);
  } else {
    context.err('paperbot serve: feed refresh off (PAPERBOT_REFRESH_MINUTES=0)\n');
  }

  const senders = adapters.flatMap((adapter) =>
    adapter.digestSender ? [countedSender(adapter.digestSender, metrics)] : [],
  );
  if (!config.roles.has('digest')) {
    context.err('paperbot serve: digest scheduler off (PAPERBOT_ROLES has no "digest")\n');
  } else if (senders.length > 0) {
    const digests = createDigestRunner({
      ledger: runtime.stores.digestLedger,
      subscriptions: runtime.stores.subscriptions,
      trending: runtime.trending(),
      senders,
      digestConfigPath: config.digestConfigPath,
      logger,
    });
    release.push({ name: 'digest scheduler', run: () => digests.stop() });
    digests.start();
  } else {
    context.err('paperbot serve: digest scheduler off (no chat adapter to post with)\n');
  }

  const started: RunningAdapter[] = [];
  const shutdown = createShutdown({
    logger,
    queue,
    drainDeadlineMs: DRAIN_DEADLINE_MS,
    stopIntake: [
      {
        name: 'intake',
        run: () => {
          shuttingDown = true;
        },
      },
      ...adapters.map((adapter) => ({ name: adapter.name, run: () => adapter.stop() })),
    ],
    release: [
      ...release,
      { name: 'health server', run: () => health?.stop() },
      {
        name: 'runtime',
        run: async () => {
          closed = true;
          await runtime.close();
        },
      },
    ],
  });
  const removeHandlers = shutdown.onSignals((signal) => {
    process.stderr.write(`paperbot serve: second ${signal}, exiting now\n`);
    process.exit(EXIT.failure);
  });
  try {
    for (const adapter of adapters) {
      await adapter.start();
      started.push(adapter);
      context.err(`paperbot serve: ${adapter.name} started\n`);
    }
  } catch (error) {
    context.err(`paperbot serve: could not start: ${describeError(error)}\n`);
    await shutdown.run('startup failure');
    removeHandlers();
    removeRejectionGuard();
    return EXIT.failure;
  }
  const papers = await runtime.bot.paperCount();
  context.err(
    `paperbot serve: ready (${papers} papers; ${started.length} chat adapter(s); SIGTERM or Ctrl-C stops)\n`,
  );
  logger.info({ adapters: started.map((adapter) => adapter.name), papers }, 'serving');
  const report = await shutdown.finished;
  removeHandlers();
  removeRejectionGuard();
  context.err(`paperbot serve: stopped (${report.reason}${report.drained ? '' : ', answers cut short'})\n`);
  // Anything a library left running must not keep the process alive after a clean shutdown.
  setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
  return report.drained && report.failedSteps.length === 0 ? EXIT.ok : EXIT.failure;
};
