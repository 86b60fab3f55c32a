import type { AddressInfo } from 'node:net';
import type { Bot } from '../bot-types.ts';
import type { Config } from '../config/config.ts';
import { describeError } from '../errors.ts';
import { createLogger, type Logger } from '../logger.ts';
import { createDigestRunner } from '../trending/digest-runner.ts';
import type { DigestSender } from '../trending/types.ts';
import { countedSender } from './counted-sender.ts';
import { createRuntime, type Runtime } from './create-runtime.ts';
import { createHealthServer, type HealthServer } from './health-server.ts';
import { CORPUS_CHECK_MS, startLeaderRefresh } from './leader-refresh.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createOutputGuardedBot } from './output-guarded-bot.ts';
import { createQueuedBot } from './queued-bot.ts';
import { installRejectionGuard } from './rejection-guard.ts';
import { configSecrets } from './secrets.ts';
import { createShutdown, type ShutdownStep } from './shutdown.ts';
import type { Stores } from './stores.ts';
import { createWorkQueue } from './work-queue.ts';

/** Time in-flight answers get to finish on shutdown. */
const DRAIN_DEADLINE_MS = 10_000;

/** A chat adapter (Slack, Discord) as the serve process drives it. */
export interface ChatAdapter {
  /** Shown in progress lines and logs, e.g. `discord`. */
  name: string;
  start(): Promise<void>;
  /** Stops taking events (shutdown then drains what is in flight). */
  stop(): Promise<void>;
  /** Posts digests to this platform; without one the adapter gets none. */
  digestSender?: DigestSender;
}

/** What a chat adapter is built over: the guarded, queued bot and the shared stores. */
export interface ChatAdapterContext {
  bot: Bot;
  stores: Stores;
  logger: Logger;
}

/** The chat adapters to run, and a line for each one that is off saying how to turn it on. */
export interface ChatAdapters {
  adapters: ChatAdapter[];
  off: string[];
}

export interface ServeProcessOptions {
  config: Config;
  /** Builds the chat adapters whose variables are set (the platforms are adapters' business). */
  chatAdapters(context: ChatAdapterContext): ChatAdapters;
  /** Where progress lines go (`paperbot serve: …`; stderr). */
  err(text: string): void;
  /** Called on a second SIGTERM or SIGINT while shutting down (e.g. exit at once). */
  onSecondSignal(signal: string): void;
}

/** How the serve process ended: stopped with every answer drained and every step done, or not. */
export type ServeOutcome = 'clean' | 'unclean' | 'not started';

/**
 * The long-running serve process: the runtime, the work queue in front of the bot, metrics, the
 * health server, the leader's feed refresh, the digest scheduler and the chat adapters, stopped
 * cleanly on SIGTERM or SIGINT. Resolves once it has stopped, or at once (`not started`, after
 * shutting down what had started) when an adapter could not start.
 */
export async function runServeProcess(options: ServeProcessOptions): Promise<ServeOutcome> {
  const { config, err } = options;
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
  const { adapters, off } = config.roles.has('answer')
    ? options.chatAdapters({ bot, stores: runtime.stores, logger })
    : { adapters: [], off: ['chat adapters off (PAPERBOT_ROLES has no "answer")'] };
  for (const line of off) err(`paperbot serve: ${line}\n`);

  const state = { closed: false, shuttingDown: false };
  const health = await startHealth(runtime, metrics, state, err);
  const release: ShutdownStep[] = [];
  if (config.databaseUrl) {
    runtime.watchCorpus(CORPUS_CHECK_MS, () =>
      logger.info({ papers: runtime.corpus.size }, 'papers changed in PostgreSQL: corpus reloaded'),
    );
  }
  if (!config.roles.has('refresh')) {
    err('paperbot serve: feed refresh off (PAPERBOT_ROLES has no "refresh")\n');
  } else if (config.refreshMinutes > 0) {
    release.push((await startLeaderRefresh(runtime, logger, err)).release);
  } else {
    err('paperbot serve: feed refresh off (PAPERBOT_REFRESH_MINUTES=0)\n');
  }
  const digests = startDigests(runtime, adapters, metrics, err);
  if (digests) release.push(digests);

  const shutdown = createShutdown({
    logger,
    queue,
    drainDeadlineMs: DRAIN_DEADLINE_MS,
    stopIntake: [
      {
        name: 'intake',
        run: () => {
          state.shuttingDown = true;
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
          state.closed = true;
          await runtime.close();
        },
      },
    ],
  });
  const removeHandlers = shutdown.onSignals(options.onSecondSignal);
  const started: ChatAdapter[] = [];
  try {
    for (const adapter of adapters) {
      await adapter.start();
      started.push(adapter);
      err(`paperbot serve: ${adapter.name} started\n`);
    }
  } catch (error) {
    err(`paperbot serve: could not start: ${describeError(error)}\n`);
    await shutdown.run('startup failure');
    removeHandlers();
    removeRejectionGuard();
    return 'not started';
  }
  const papers = await runtime.bot.paperCount();
  err(
    `paperbot serve: ready (${papers} papers; ${started.length} chat adapter(s); SIGTERM or Ctrl-C stops)\n`,
  );
  logger.info({ adapters: started.map((adapter) => adapter.name), papers }, 'serving');
  const report = await shutdown.finished;
  removeHandlers();
  removeRejectionGuard();
  err(`paperbot serve: stopped (${report.reason}${report.drained ? '' : ', answers cut short'})\n`);
  return report.drained && report.failedSteps.length === 0 ? 'clean' : 'unclean';
}

/** Runtime hooks that feed the metrics: stage latencies and fallbacks. */
function runtimeObservers(metrics: Metrics) {
  return {
    onStage: (stage: 'retrieval' | 'answer', seconds: number) => metrics.stage(stage, seconds),
    onRetrievalFallback: () => metrics.fallback('query-embedding', 'embedding-unavailable'),
    onAnswerFallback: (_reason: string, code: string) => metrics.fallback('llm', code),
  };
}

/** `/healthz` and `/metrics` on PAPERBOT_HTTP_PORT, when set; healthy while open and not stopping. */
async function startHealth(
  runtime: Runtime,
  metrics: Metrics,
  state: { closed: boolean; shuttingDown: boolean },
  err: (text: string) => void,
): Promise<HealthServer | undefined> {
  const { config, logger } = runtime;
  if (config.httpPort === undefined) {
    err('paperbot serve: health and metrics off (set PAPERBOT_HTTP_PORT)\n');
    return undefined;
  }
  const health = createHealthServer({
    port: config.httpPort,
    host: config.httpHost,
    metrics,
    logger,
    checks: {
      index: () => !state.closed && runtime.corpus.size > 0,
      database: async () => !state.closed && (await runtime.storeHealthy()),
      accepting: () => !state.shuttingDown,
    },
  });
  await health.start();
  err(`paperbot serve: /healthz and /metrics on ${httpUrl(health.address())}\n`);
  return health;
}

/** `http://host:port` of a bound address, IPv6 hosts in brackets. */
function httpUrl(address: AddressInfo | undefined): string {
  if (!address) return 'an unknown address';
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** The digest scheduler over the adapters' senders, when this process runs digests; its shutdown step. */
function startDigests(
  runtime: Runtime,
  adapters: ChatAdapter[],
  metrics: Metrics,
  err: (text: string) => void,
): ShutdownStep | undefined {
  const { config, logger } = runtime;
  const senders = adapters.flatMap((adapter) =>
    adapter.digestSender ? [countedSender(adapter.digestSender, metrics)] : [],
  );
  if (!config.roles.has('digest')) {
    err('paperbot serve: digest scheduler off (PAPERBOT_ROLES has no "digest")\n');
    return undefined;
  }
  if (senders.length === 0) {
    err('paperbot serve: digest scheduler off (no chat adapter to post with)\n');
    return undefined;
  }
  const digests = createDigestRunner({
    ledger: runtime.stores.digestLedger,
    subscriptions: runtime.stores.subscriptions,
    trending: runtime.trending(),
    senders,
    digestConfigPath: config.digestConfigPath,
    logger,
  });
  digests.start();
  return { name: 'digest scheduler', run: () => digests.stop() };
}
