import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type webApi } from '@slack/bolt';
import type { Bot } from '../../src/bot-types.ts';
import { type Clock, systemClock } from '../../src/clock.ts';
import type { Config } from '../../src/config/config.ts';
import { describeError } from '../../src/errors.ts';
import type { Logger } from '../../src/logger.ts';
import { RateLimiter, type RateLimits, type RequestLimiter } from '../../src/runtime/rate-limiter.ts';
import type { SqliteDatabase } from '../../src/storage/database.ts';
import type { DigestSender } from '../../src/trending/types.ts';
import { boltLogger } from './bolt-logger.ts';
import { registerCommandHandlers } from './command-handlers.ts';
import { SlackDigestSender } from './digest-sender.ts';
import { registerFeedbackHandlers } from './feedback.ts';
import { GuardedReceiver } from './guarded-receiver.ts';
import type { HandlerContext } from './handler-context.ts';
import { registerQuestionHandlers } from './question-handlers.ts';

/** Path of the HTTP-mode endpoint for events, slash commands and interactivity. */
export const SLACK_EVENTS_PATH = '/slack/events';
/** Interface the HTTP receiver listens on when no host is given: loopback only. */
export const DEFAULT_HTTP_HOST = '127.0.0.1';
/** HTTP-mode port when `SLACK_PORT` is unset. */
export const DEFAULT_SLACK_PORT = 3000;

export interface SlackAdapterOptions {
  /** The core. */
  bot: Bot;
  /** `config.slack`: Socket Mode when `appToken` is set, else HTTP mode with `signingSecret` and `port`. */
  config: NonNullable<Config['slack']>;
  /** Where 👍/👎 feedback goes (`feedback` table); without it clicks are only logged. */
  database?: SqliteDatabase;
  logger: Logger;
  /** Per-user and per-channel allowances (`config.userRatePerMinute`, `config.channelRatePerMinute`). */
  rateLimits: RateLimits;
  /** Limiter shared by replicas (PostgreSQL); default: one in memory from `rateLimits`. */
  limiter?: RequestLimiter;
  /** Time source for rate limits, the future-timestamp check and feedback times (default: system). */
  clock?: Clock;
  /** HTTP mode: interface to listen on (`PAPERBOT_HTTP_HOST`, default 127.0.0.1). */
  host?: string;
  /** Web API retries per call (default: the SDK's own policy); tests pass 0. */
  webApiRetries?: number;
}

export interface SlackAdapter {
  /** `socket` when `SLACK_APP_TOKEN` is set, else `http`. */
  readonly mode: 'socket' | 'http';
  /**
   * Verifies the token (`auth.test`), then connects (Socket Mode) or listens (HTTP). Rejects when
   * the token is refused or the port is taken.
   */
  start(): Promise<void>;
  /** Disconnects or closes the server. Safe to call twice, or before `start`. */
  stop(): Promise<void>;
  /** Posts digests to Slack channels for the digest engine (usable without `start`). */
  readonly digestSender: DigestSender;
  /** HTTP mode: the bound address once started (the real port when `port` was 0). */
  address(): AddressInfo | undefined;
}

function clientOptions(options: SlackAdapterOptions): webApi.WebClientOptions {
  const result: webApi.WebClientOptions = {};
  if (options.config.apiUrl) result.slackApiUrl = options.config.apiUrl.replace(/\/?$/, '/');
  if (options.webApiRetries !== undefined) result.retryConfig = { retries: options.webApiRetries };
  return result;
}

/**
 * The Slack adapter on @slack/bolt: questions in threads, `/papers`, `/ask`, `/trending`, feedback
 * buttons and the digest sender. Constructs without network access; `start()` connects.
 */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger.child({ component: 'slack' });
  const mode = config.appToken ? 'socket' : 'http';
  const boltLog = boltLogger(options.logger);
  const common = {
    token: config.botToken,
    clientOptions: clientOptions(options),
    logger: boltLog,
    // Our handlers ignore own and other bots' messages themselves (and log why).
    ignoreSelf: false,
    // auth.test runs in start(), where a refused token can reject instead of escaping unhandled.
    deferInitialization: true,
  };
  const app =
    mode === 'socket'
      ? new App({ ...common, socketMode: true, appToken: config.appToken })
      : new App({
          ...common,
          receiver: new GuardedReceiver({
            signingSecret: config.signingSecret ?? '',
            endpoints: SLACK_EVENTS_PATH,
            logger: boltLog,
            clock,
            onRejected: ({ status, reason }) =>
              status === 200
                ? logger.info({ reason }, 'slack request replayed: ignored')
                : logger.warn({ status, reason }, `slack request rejected: ${reason}`),
          }),
        });

  const context: HandlerContext = {
    bot: options.bot,
    logger: options.logger,
    limiter: options.limiter ?? new RateLimiter(options.rateLimits, clock),
    clock,
    database: options.database,
  };
  registerQuestionHandlers(app, context);
  registerCommandHandlers(app, context);
  registerFeedbackHandlers(app, context);
  app.error(async (error) => {
    // Last line of defence: handlers catch their own failures; this logs anything that slipped by.
    logger.error({ err: error }, `slack handler error: ${describeError(error)}`);
  });

  let server: Server | undefined;
  let started = false;
  return {
    mode,
    digestSender: new SlackDigestSender(app.client),
    async start() {
      await app.init();
      if (mode === 'socket') {
        await app.start();
      } else {
        server = (await app.start({
          port: config.port ?? DEFAULT_SLACK_PORT,
          host: options.host ?? DEFAULT_HTTP_HOST,
        })) as Server;
      }
      started = true;
      logger.info({ mode, address: server?.address() }, 'slack adapter started');
    },
    async stop() {
      if (!started) return;
      started = false;
      await app.stop();
      server = undefined;
      logger.info({ mode }, 'slack adapter stopped');
    },
    address() {
      const address = server?.address();
      return address && typeof address === 'object' ? address : undefined;
    },
  };
}
