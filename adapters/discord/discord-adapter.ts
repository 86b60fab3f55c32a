import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  Client,
  type ClientOptions,
  Events,
  GatewayIntentBits,
  Options,
  REST,
  type RESTOptions,
} from 'discord.js';
import type { Bot } from '../../src/bot-types.ts';
import { type Clock, systemClock } from '../../src/clock.ts';
import type { Config } from '../../src/config/config.ts';
import type { SpacedGate } from '../../src/coordination/spaced-gate.ts';
import { describeError } from '../../src/errors.ts';
import type { Logger } from '../../src/logger.ts';
import { RateLimiter, type RateLimits, type RequestLimiter } from '../../src/runtime/rate-limiter.ts';
import type { SubscriptionRepository } from '../../src/trending/subscriptions.ts';
import type { DigestSender } from '../../src/trending/types.ts';
import { DiscordDigestSender } from './digest-sender.ts';
import { installGatewayGuard } from './gateway-guard.ts';
import type { HandlerContext } from './handler-context.ts';
import { createSharedIdentifyThrottler } from './identify-throttler.ts';
import { handleCommand } from './interaction-handlers.ts';
import { handleMessage } from './mention-handlers.ts';

/**
 * Gateway intents the adapter asks for. `MessageContent` is privileged: enable it in the
 * Developer Portal (Bot → Privileged Gateway Intents) so follow-ups in threads can be read.
 */
export const DISCORD_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
];

/** Users (and members) kept in discord.js's caches; older entries are dropped. */
const USER_CACHE_LIMIT = 1_000;

export interface DiscordAdapterOptions {
  /** The core. */
  bot: Bot;
  /** `config.discord`: the bot token, the application id, and an optional REST base (`DISCORD_API_URL`). */
  config: NonNullable<Config['discord']>;
  /** Where `/subscribe` saves (`runtime.stores.subscriptions`); without it `/subscribe` says it is unavailable. */
  subscriptions?: SubscriptionRepository;
  logger: Logger;
  /** Time source for subscription timestamps and rate limits (default: system). */
  clock?: Clock;
  /** Questions and searches per user and per channel per minute; unlimited when absent. */
  rateLimits?: RateLimits;
  /** Limiter shared by replicas (PostgreSQL); default: one in memory from `rateLimits`. */
  limiter?: RequestLimiter;
  /** REST tuning passed to discord.js (tests: `{ retries: 0, timeout: 3000 }`); default: the library's. */
  rest?: Pick<Partial<RESTOptions>, 'retries' | 'timeout' | 'offset'>;
  /** How long login waits for each unavailable guild's GUILD_CREATE, in ms (default 15,000). */
  waitGuildTimeoutMs?: number;
  /**
   * The shared store's gate (`runtime.stores.spacedGate`). With `config.shards` set, identifies
   * are throttled through it so shard processes on several machines keep Discord's identify
   * limit together. Without shards, or without a gate, discord.js's in-process throttler is used.
   */
  identifyGate?: SpacedGate;
}

export interface DiscordAdapter {
  /**
   * Logs in (GET /gateway/bot, IDENTIFY) and resolves once the client is ready. Rejects when the
   * token is refused or the gateway cannot be reached. Call once.
   */
  start(): Promise<void>;
  /** Destroys the client (closes the gateway with 1000). Safe to call twice, or before `start`. */
  stop(): Promise<void>;
  /** Posts digests to Discord channels over REST for the digest engine (usable without `start`). */
  readonly digestSender: DigestSender;
  /** The discord.js client (for diagnostics and tests; the adapter owns it). */
  readonly client: Client;
}

/** Names the bot in identify gates: the application id, else a digest of the token (never the token). */
function botKey(config: DiscordAdapterOptions['config']): string {
  if (config.applicationId) return config.applicationId;
  return `token-${createHash('sha256').update(config.token).digest('hex').slice(0, 16)}`;
}

/** discord.js's sharding options for `DISCORD_SHARDS` / `DISCORD_SHARD_COUNT`, and the shared identify throttler. */
function shardingOptions(options: DiscordAdapterOptions, logger: Logger): Partial<ClientOptions> {
  const shards = options.config.shards;
  if (!shards) return {};
  const gate = options.identifyGate;
  return {
    ...(shards === 'auto' ? { shards: 'auto' } : { shards: [...shards.ids], shardCount: shards.count }),
    ...(gate
      ? {
          ws: {
            buildIdentifyThrottler: async (manager) => {
              const information = await manager.fetchGatewayInformation();
              return createSharedIdentifyThrottler({
                gate,
                maxConcurrency: information.session_start_limit.max_concurrency,
                botKey: botKey(options.config),
                logger,
              });
            },
          },
        }
      : {}),
  };
}

function restOptions(options: DiscordAdapterOptions): Partial<RESTOptions> {
  return {
    ...(options.config.apiUrl ? { api: options.config.apiUrl.replace(/\/$/, '') } : {}),
    ...options.rest,
  };
}

/**
 * The Discord adapter on discord.js: slash commands, mentions answered in threads, and the
 * digest sender. Constructs without network access; `start()` connects.
 */
export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const logger = options.logger.child({ component: 'discord' });
  const rest = restOptions(options);
  const client = new Client({
    intents: DISCORD_INTENTS,
    rest,
    allowedMentions: { parse: [], repliedUser: false },
    // Bounded caches: by default discord.js keeps every user and message it ever saw.
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 100,
      UserManager: { maxSize: USER_CACHE_LIMIT, keepOverLimit: (user) => user.id === user.client.user?.id },
      GuildMemberManager: {
        maxSize: USER_CACHE_LIMIT,
        keepOverLimit: (member) => member.id === member.client.user?.id,
      },
    }),
    ...(options.waitGuildTimeoutMs !== undefined ? { waitGuildTimeout: options.waitGuildTimeoutMs } : {}),
    ...shardingOptions(options, logger),
  });
  installGatewayGuard(client, logger, options.config.applicationId);
  const context: HandlerContext = {
    bot: options.bot,
    logger,
    clock: options.clock ?? systemClock,
    subscriptions: options.subscriptions,
    limiter:
      options.limiter ??
      (options.rateLimits ? new RateLimiter(options.rateLimits, options.clock ?? systemClock) : undefined),
  };

  client.on(Events.InteractionCreate, (interaction) => {
    if (!interaction.isChatInputCommand()) return;
    void handleCommand(interaction, context);
  });
  client.on(Events.MessageCreate, (message) => {
    void handleMessage(message, context);
  });
  client.on(Events.Error, (error) =>
    logger.error({ err: error }, `discord client error: ${describeError(error)}`),
  );
  client.on(Events.ShardError, (error, shardId) =>
    logger.warn({ shardId, error: describeError(error) }, 'discord gateway connection error'),
  );
  client.on(Events.Warn, (message) => logger.warn(message));
  client.on(Events.ShardReady, (shardId) =>
    logger.info({ shardId, shardCount: client.options.shardCount }, 'discord shard ready'),
  );
  client.on(Events.ShardReconnecting, (shardId) => logger.info({ shardId }, 'discord gateway reconnecting'));
  client.on(Events.ShardResume, (shardId, replayed) =>
    logger.info({ shardId, replayed }, 'discord gateway session resumed'),
  );
  client.on(Events.ShardDisconnect, (event, shardId) =>
    logger.error(
      { shardId, code: event.code },
      'discord gateway closed for good (check the token and intents)',
    ),
  );

  const senderRest = new REST(rest).setToken(options.config.token);
  let state: 'idle' | 'started' | 'stopped' = 'idle';
  return {
    client,
    digestSender: new DiscordDigestSender(senderRest),
    async start() {
      if (state !== 'idle') throw new Error(`discord adapter: start() called when ${state}`);
      state = 'started';
      const ready = once(client, Events.ClientReady);
      ready.catch(() => undefined);
      await client.login(options.config.token);
      await ready;
      logger.info(
        {
          user: client.user?.tag,
          guilds: client.guilds.cache.size,
          shards: [...client.ws.shards.keys()],
          shardCount: client.options.shardCount,
        },
        'discord adapter started',
      );
    },
    async stop() {
      if (state === 'stopped') return;
      state = 'stopped';
      await client.destroy();
      logger.info('discord adapter stopped');
    },
  };
}
