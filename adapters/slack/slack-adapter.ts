import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type webApi } from '@slack/bolt';
import type { Bot } from '../../src/bot-types.ts';
import { type Clock, systemClock } from '../../src/clock.ts';
import type { Config } from '../../src/config/config.ts';
import { describeError, PaperbotError } from '../../src/errors.ts';
import type { FeedbackRepository } from '../../src/feedback/feedback-repository.ts';
import type { Logger } from '../../src/logger.ts';
import { RateLimiter, type RateLimits, type RequestLimiter } from '../../src/runtime/rate-limiter.ts';
import { createSharedClaims, type SharedClaims } from '../../src/runtime/shared-claims.ts';
import type { EventDedupRepository } from '../../src/storage/event-dedup-repository.ts';
import type { InstallationRepository } from '../../src/storage/installation-repository.ts';
import type { SubscriptionRepository } from '../../src/trending/subscriptions.ts';
import type { DigestSender } from '../../src/trending/types.ts';
import { boltLogger } from './bolt-logger.ts';
import { registerCommandHandlers } from './command-handlers.ts';
import { type DestinationToken, SlackDigestSender, workspaceToken } from './digest-sender.ts';
import { registerFeedbackHandlers } from './feedback.ts';
import { GuardedReceiver, TIMESTAMP_TOLERANCE_SECONDS } from './guarded-receiver.ts';
import type { HandlerContext } from './handler-context.ts';
import {
  registerEventDeduplication,
  registerUninstallHandlers,
  SLACK_INSTALL_PATH,
  SLACK_OAUTH_REDIRECT_PATH,
  type UninstallHook,
} from './oauth.ts';
import { RepositoryInstallationStore } from './oauth-installation-store.ts';
import { registerQuestionHandlers } from './question-handlers.ts';

/** Path of the HTTP-mode endpoint for events, slash commands and interactivity. */
export const SLACK_EVENTS_PATH = '/slack/events';
/** Interface the HTTP receiver listens on when no host is given: loopback only. */
export const DEFAULT_HTTP_HOST = '127.0.0.1';
/** HTTP-mode port when `SLACK_PORT` is unset. */
export const DEFAULT_SLACK_PORT = 3000;
/**
 * How long a signed request (timestamp + signature) is remembered: twice the timestamp window,
 * since a request is accepted from five minutes before its timestamp to five minutes after.
 */
const REQUEST_CLAIM_TTL_MS = 2 * TIMESTAMP_TOLERANCE_SECONDS * 1000;

export interface SlackAdapterOptions {
  /** The core. */
  bot: Bot;
  /**
   * `config.slack`: Socket Mode when `appToken` is set, else HTTP mode with `signingSecret` and
   * `port`; one workspace with `botToken`, or many with `oauth` (HTTP mode only).
   */
  config: NonNullable<Config['slack']>;
  /** Where 👍/👎 feedback goes (`runtime.stores.feedback`); without it clicks are only logged. */
  feedback?: FeedbackRepository;
  /** Where `/subscribe` saves (`runtime.stores.subscriptions`); without it the command says it is unavailable. */
  subscriptions?: SubscriptionRepository;
  /** Installations per workspace (`stores.installations`); required with `config.oauth`. */
  installations?: InstallationRepository;
  /**
   * Shared claims on events and signed requests (`stores.eventDedup`), so a retried or replayed
   * event delivered to several replicas is answered once. Default: this process's memory only.
   */
  eventDedup?: EventDedupRepository;
  /** With OAuth: called with the team id after a workspace uninstalled the app (drop its digests). */
  onUninstall?: UninstallHook;
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
  /** `single` with `SLACK_BOT_TOKEN`; `oauth` when installed per workspace through `/slack/install`. */
  readonly workspaces: 'single' | 'oauth';
  /**
   * Verifies the token (`auth.test`; not with OAuth, where each workspace has its own), then connects (Socket Mode) or listens (HTTP). Rejects when
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
  const oauth = config.oauth;
  if (oauth && (mode === 'socket' || !options.installations)) {
    throw new PaperbotError(
      'NOT_CONFIGURED',
      mode === 'socket'
        ? 'Slack OAuth (SLACK_CLIENT_ID) runs in HTTP mode only: unset SLACK_APP_TOKEN.'
        : 'Slack OAuth needs an installation store: pass `installations` (runtime.stores.installations).',
    );
  }
  const installationStore = options.installations
    ? new RepositoryInstallationStore(options.installations)
    : undefined;
  const claims: SharedClaims | undefined = options.eventDedup
    ? createSharedClaims({ repository: options.eventDedup, logger: options.logger, clock })
    : undefined;
  const boltLog = boltLogger(options.logger);
  const common = {
    token: oauth ? undefined : config.botToken,
    clientOptions: clientOptions(options),
    logger: boltLog,
    // Our handlers ignore own and other bots' messages themselves (and log why).
    ignoreSelf: false,
    // auth.test runs in start(), where a refused token can reject instead of escaping unhandled.
    deferInitialization: true,
  };
  const receiver =
    mode === 'http'
      ? new GuardedReceiver({
          signingSecret: config.signingSecret ?? '',
          endpoints: SLACK_EVENTS_PATH,
          logger: boltLog,
          clock,
          replayGuard: claims && {
            firstSeen: (key) => claims.claim(`slack-request:${key}`, REQUEST_CLAIM_TTL_MS),
          },
          ...(oauth && {
            clientId: oauth.clientId,
            clientSecret: oauth.clientSecret,
            stateSecret: oauth.stateSecret,
            scopes: oauth.scopes,
            redirectUri: oauth.redirectUri,
            installationStore,
            installerOptions: {
              installPath: SLACK_INSTALL_PATH,
              redirectUriPath: SLACK_OAUTH_REDIRECT_PATH,
              // oauth.v2.access and auth.test of a new install go to SLACK_API_URL too.
              clientOptions: clientOptions(options),
            },
          }),
          onRejected: ({ status, reason }) =>
            status === 200
              ? logger.info({ reason }, 'slack request replayed: ignored')
              : logger.warn({ status, reason }, `slack request rejected: ${reason}`),
        })
      : undefined;
  const app = receiver
    ? new App({ ...common, receiver })
    : new App({ ...common, socketMode: true, appToken: config.appToken });

  const context: HandlerContext = {
    bot: options.bot,
    logger: options.logger,
    limiter: options.limiter ?? new RateLimiter(options.rateLimits, clock),
    clock,
    feedback: options.feedback,
    subscriptions: options.subscriptions,
  };
  if (claims) registerEventDeduplication(app, claims, options.logger);
  if (oauth && installationStore)
    registerUninstallHandlers(app, {
      store: installationStore,
      logger: options.logger,
      onUninstall: options.onUninstall,
    });
  registerQuestionHandlers(app, context);
  registerCommandHandlers(app, context);
  registerFeedbackHandlers(app, context);
  app.error(async (error) => {
    // Last line of defence: handlers catch their own failures; this logs anything that slipped by.
    logger.error({ err: error }, `slack handler error: ${describeError(error)}`);
  });

  let server: Server | undefined;
  let started = false;
  // With OAuth a digest posts with the token of its destination's workspace, through Bolt's
  // installer (which also refreshes a rotating token and stores the new one).
  const tokenFor: DestinationToken = oauth
    ? workspaceToken(async (teamId) => {
        const authorization = await receiver?.installer?.authorize({
          teamId,
          enterpriseId: undefined,
          isEnterpriseInstall: false,
        });
        return authorization?.botToken;
      })
    : async () => undefined;
  return {
    mode,
    workspaces: oauth ? 'oauth' : 'single',
    digestSender: new SlackDigestSender(app.client, tokenFor),
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
