import { availableParallelism } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { PACKAGE_ROOT } from '../corpus/bundled.ts';
import { PaperbotError } from '../errors.ts';
import { type DiscordSharding, parseDiscordSharding } from './discord-sharding.ts';

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const optionalText = z.preprocess(blankToUndefined, z.string().trim().optional());
const optionalUrl = z.preprocess(blankToUndefined, z.url().optional());
const port = z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65_535).optional());
const positiveInt = (fallback: number) =>
  z.preprocess(blankToUndefined, z.coerce.number().int().positive().default(fallback));
const nonNegativeInt = (fallback: number) =>
  z.preprocess(blankToUndefined, z.coerce.number().int().nonnegative().default(fallback));

/**
 * What a `serve` process does (`PAPERBOT_ROLES`): `answer` runs the chat adapters, `refresh` takes
 * part in the leader election whose winner runs the feed refresh and writes the index, `digest`
 * runs the digest scheduler (the ledger makes each digest go out once).
 */
export const SERVE_ROLES = ['answer', 'refresh', 'digest'] as const;
export type ServeRole = (typeof SERVE_ROLES)[number];

/** Every environment variable paperbot reads; `.env.example` documents each one. */
const environmentSchema = z.object({
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_CHAT_MODEL: z.preprocess(blankToUndefined, z.string().default('gpt-4o-mini')),
  OPENAI_EMBEDDING_MODEL: z.preprocess(blankToUndefined, z.string().default('text-embedding-3-small')),
  PAPERBOT_EMBEDDINGS: z.preprocess(blankToUndefined, z.enum(['auto', 'local', 'openai']).default('auto')),
  PAPERBOT_INDEX_DIR: optionalText,
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  PAPERBOT_LLM_TIMEOUT_MS: positiveInt(20_000),
  PAPERBOT_TOPIC_JUDGE: z.preprocess(blankToUndefined, z.enum(['auto', 'off']).default('auto')),
  PAPERBOT_EMBED_TIMEOUT_MS: positiveInt(1_000),
  PAPERBOT_QUESTION_MEMORY: z.preprocess(blankToUndefined, z.enum(['on', 'off']).default('on')),
  PAPERBOT_EMBED_WORKERS: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(64).optional()),
  HF_API_URL: z.preprocess(blankToUndefined, z.url().default('https://huggingface.co')),
  ARXIV_API_URL: z.preprocess(blankToUndefined, z.url().default('https://export.arxiv.org')),
  PAPERBOT_REFRESH_MINUTES: nonNegativeInt(60),
  PAPERBOT_ROLES: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .transform((text) => text.split(',').map((part) => part.trim().toLowerCase()))
      .pipe(
        z.array(z.enum(SERVE_ROLES, { error: 'must be a comma-separated list of answer, refresh, digest' })),
      )
      .optional(),
  ),
  PAPERBOT_DIGEST_CONFIG: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_PORT: port,
  SLACK_API_URL: optionalUrl,
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_STATE_SECRET: optionalText,
  SLACK_SCOPES: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(
        /^[a-z:._]+(\s*,\s*[a-z:._]+)*$/,
        'must be a comma-separated list of scopes, e.g. "chat:write,commands"',
      )
      .optional(),
  ),
  SLACK_REDIRECT_URI: optionalUrl,
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText,
  DISCORD_API_URL: optionalUrl,
  DISCORD_SHARDS: optionalText,
  DISCORD_SHARD_COUNT: optionalText,
  PAPERBOT_HTTP_PORT: port,
  PAPERBOT_HTTP_HOST: z.preprocess(blankToUndefined, z.string().trim().default('127.0.0.1')),
  PAPERBOT_MAX_CONCURRENCY: z.preprocess(blankToUndefined, z.coerce.number().int().positive().optional()),
  PAPERBOT_QUEUE_SIZE: positiveInt(1_000),
  PAPERBOT_MAX_WAIT_MS: positiveInt(30_000),
  PAPERBOT_USER_RATE_PER_MINUTE: positiveInt(10),
  PAPERBOT_CHANNEL_RATE_PER_MINUTE: positiveInt(30),
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

export interface OpenAiConfig {
  apiKey: string;
  baseURL?: string;
  chatModel: string;
  embeddingModel: string;
}

/** Slack's OAuth flow: `SLACK_CLIENT_ID`, `SLACK_CLIENT_SECRET`, `SLACK_STATE_SECRET`, `SLACK_SCOPES`. */
export interface SlackOAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Signs the OAuth `state` parameter, so any replica can check it (no shared state store). */
  stateSecret: string;
  /** Bot scopes asked for at install (default: those of `adapters/slack/manifest-http.yml`). */
  scopes: string[];
  /** `SLACK_REDIRECT_URI`: the OAuth redirect URL, when the app has several (must end in `/slack/oauth_redirect`). */
  redirectUri?: string;
}

/** Bot scopes of the manifests (`adapters/slack/manifest*.yml`), asked for at install by default. */
export const DEFAULT_SLACK_SCOPES = [
  'app_mentions:read',
  'chat:write',
  'chat:write.public',
  'commands',
  'im:history',
  'channels:history',
  'groups:history',
] as const;

/** Parsed, validated configuration. Built once per process by `loadConfig`. */
export interface Config {
  /** Present when `OPENAI_API_KEY` is set. */
  openai?: OpenAiConfig;
  /** `PAPERBOT_EMBEDDINGS`: `auto` (default), `local` or `openai`; see `chooseEmbeddings`. */
  embeddingsSetting: 'auto' | 'local' | 'openai';
  /** Absolute path of the index directory (HNSW files, manifest, SQLite database). */
  indexDir: string;
  /**
   * `DATABASE_URL`: when set, papers and passage vectors live in this PostgreSQL database (with
   * pgvector) instead of the index directory. Unset: the embedded SQLite + hnswlib store.
   */
  databaseUrl?: string;
  llmTimeoutMs: number;
  /**
   * `PAPERBOT_TOPIC_JUDGE`: `auto` (default) lets the chat model decide topic filters where the
   * offline score is unsure when `OPENAI_API_KEY` is set; `off` keeps them offline.
   */
  topicJudge: 'auto' | 'off';
  embedTimeoutMs: number;
  /** Whether retrieval uses the judged questions of `corpus/judged-questions.jsonl` (PAPERBOT_QUESTION_MEMORY). */
  questionMemory: boolean;
  /**
   * `PAPERBOT_EMBED_WORKERS`: worker threads for large offline embedding calls (index builds,
   * ingests), each with its own model. 0 = main thread only. Default: 2 on 2 or more cores, else 0.
   */
  embedWorkers: number;
  hfApiUrl: string;
  arxivApiUrl: string;
  refreshMinutes: number;
  /** `PAPERBOT_ROLES`: the roles of a `serve` process (default: all three). */
  roles: ReadonlySet<ServeRole>;
  digestConfigPath?: string;
  /** Present when `SLACK_BOT_TOKEN` (one workspace) or `SLACK_CLIENT_ID` (OAuth, many workspaces) is set. */
  slack?: {
    /** `SLACK_BOT_TOKEN`: the one workspace's bot token; unset with OAuth (tokens come from installations). */
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    port?: number;
    apiUrl?: string;
    /** OAuth (HTTP mode): installs into many workspaces through `/slack/install`. */
    oauth?: SlackOAuthConfig;
  };
  discord?: {
    token: string;
    applicationId?: string;
    apiUrl?: string;
    /**
     * `DISCORD_SHARDS` + `DISCORD_SHARD_COUNT`: the shards this process runs. Absent: one shard
     * (0 of 1), discord.js's default. See `DiscordSharding`.
     */
    shards?: DiscordSharding;
  };
  httpPort?: number;
  /**
   * `PAPERBOT_HTTP_HOST`: interface `/healthz`, `/metrics` and Slack's HTTP receiver listen on.
   * Default 127.0.0.1 (loopback only); `0.0.0.0` or `::` for every interface.
   */
  httpHost: string;
  maxConcurrency: number;
  /** `PAPERBOT_QUEUE_SIZE`: questions waiting at most, a memory bound (default 1,000). */
  queueSize: number;
  /**
   * `PAPERBOT_MAX_WAIT_MS`: a question is queued when its answer is expected within this many ms
   * (measured service time × questions ahead), else told the bot is busy. Default 30,000.
   */
  maxWaitMs: number;
  userRatePerMinute: number;
  channelRatePerMinute: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** The bundled index that ships with the package. */
export const DEFAULT_INDEX_DIR = join(PACKAGE_ROOT, 'index');

/**
 * Parses the environment once. Throws a PaperbotError (`CONFIG_INVALID`) listing every bad
 * variable, with a pointer to `.env.example`.
 */
export function loadConfig(environment: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      return `  ${name}=${JSON.stringify(environment[name] ?? '')}: ${issue.message}`;
    });
    throw new PaperbotError(
      'CONFIG_INVALID',
      `Invalid configuration:\n${lines.join('\n')}\nSee .env.example for every variable and its default.`,
    );
  }
  const env = parsed.data;
  const problems: string[] = [];
  if (env.PAPERBOT_EMBEDDINGS === 'openai' && !env.OPENAI_API_KEY) {
    problems.push(
      '  PAPERBOT_EMBEDDINGS=openai needs OPENAI_API_KEY (any value for a local server without auth)',
    );
  }
  if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
    problems.push(
      '  SLACK_BOT_TOKEN is set: set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)',
    );
  }
  const sharding = parseDiscordSharding({
    shards: env.DISCORD_SHARDS,
    count: env.DISCORD_SHARD_COUNT,
    hasToken: env.DISCORD_TOKEN !== undefined,
  });
  problems.push(...sharding.problems.map((problem) => `  ${problem}`));
  problems.push(...slackOAuthProblems(env));
  if (problems.length > 0) {
    throw new PaperbotError(
      'CONFIG_INVALID',
      `Invalid configuration:\n${problems.join('\n')}\nSee .env.example for every variable and its default.`,
    );
  }
  const openai: OpenAiConfig | undefined = env.OPENAI_API_KEY
    ? {
        apiKey: env.OPENAI_API_KEY,
        baseURL: env.OPENAI_BASE_URL,
        chatModel: env.OPENAI_CHAT_MODEL,
        embeddingModel: env.OPENAI_EMBEDDING_MODEL,
      }
    : undefined;
  const indexDir = env.PAPERBOT_INDEX_DIR
    ? isAbsolute(env.PAPERBOT_INDEX_DIR)
      ? env.PAPERBOT_INDEX_DIR
      : resolve(cwd, env.PAPERBOT_INDEX_DIR)
    : DEFAULT_INDEX_DIR;
  return {
    openai,
    embeddingsSetting: env.PAPERBOT_EMBEDDINGS,
    indexDir,
    databaseUrl: env.DATABASE_URL,
    llmTimeoutMs: env.PAPERBOT_LLM_TIMEOUT_MS,
    topicJudge: env.PAPERBOT_TOPIC_JUDGE,
    embedTimeoutMs: env.PAPERBOT_EMBED_TIMEOUT_MS,
    questionMemory: env.PAPERBOT_QUESTION_MEMORY === 'on',
    embedWorkers: env.PAPERBOT_EMBED_WORKERS ?? (availableParallelism() >= 2 ? 2 : 0),
    hfApiUrl: env.HF_API_URL,
    arxivApiUrl: env.ARXIV_API_URL,
    refreshMinutes: env.PAPERBOT_REFRESH_MINUTES,
    roles: new Set(env.PAPERBOT_ROLES ?? SERVE_ROLES),
    digestConfigPath: env.PAPERBOT_DIGEST_CONFIG ? resolve(cwd, env.PAPERBOT_DIGEST_CONFIG) : undefined,
    slack:
      env.SLACK_BOT_TOKEN || env.SLACK_CLIENT_ID
        ? {
            botToken: env.SLACK_BOT_TOKEN,
            signingSecret: env.SLACK_SIGNING_SECRET,
            appToken: env.SLACK_APP_TOKEN,
            port: env.SLACK_PORT,
            apiUrl: env.SLACK_API_URL,
            oauth:
              env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.SLACK_STATE_SECRET
                ? {
                    clientId: env.SLACK_CLIENT_ID,
                    clientSecret: env.SLACK_CLIENT_SECRET,
                    stateSecret: env.SLACK_STATE_SECRET,
                    scopes: env.SLACK_SCOPES
                      ? env.SLACK_SCOPES.split(',').map((scope) => scope.trim())
                      : [...DEFAULT_SLACK_SCOPES],
                    redirectUri: env.SLACK_REDIRECT_URI,
                  }
                : undefined,
          }
        : undefined,
    discord: env.DISCORD_TOKEN
      ? {
          token: env.DISCORD_TOKEN,
          applicationId: env.DISCORD_APPLICATION_ID,
          apiUrl: env.DISCORD_API_URL,
          ...(sharding.sharding ? { shards: sharding.sharding } : {}),
        }
      : undefined,
    httpPort: env.PAPERBOT_HTTP_PORT,
    httpHost: env.PAPERBOT_HTTP_HOST,
    // Offline answering is CPU-bound on one thread: more than one at a time only delays acks.
    maxConcurrency: env.PAPERBOT_MAX_CONCURRENCY ?? (openai ? 4 : 1),
    queueSize: env.PAPERBOT_QUEUE_SIZE,
    maxWaitMs: env.PAPERBOT_MAX_WAIT_MS,
    userRatePerMinute: env.PAPERBOT_USER_RATE_PER_MINUTE,
    channelRatePerMinute: env.PAPERBOT_CHANNEL_RATE_PER_MINUTE,
    logLevel: env.LOG_LEVEL,
  };
}

/** What is wrong with the Slack OAuth variables (an empty list when nothing is). */
function slackOAuthProblems(env: z.infer<typeof environmentSchema>): string[] {
  const oauthNames = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;
  const given = oauthNames.filter((name) => env[name]);
  if (given.length === 0) {
    return env.SLACK_SCOPES || env.SLACK_REDIRECT_URI
      ? [
          '  SLACK_SCOPES and SLACK_REDIRECT_URI are for OAuth: set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET too',
        ]
      : [];
  }
  const problems: string[] = [];
  const missing = oauthNames.filter((name) => !env[name]);
  if (missing.length > 0)
    problems.push(`  Slack OAuth needs ${oauthNames.join(', ')}: ${missing.join(', ')} missing`);
  if (env.SLACK_BOT_TOKEN)
    problems.push(
      "  SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set: with OAuth every workspace's token comes from its installation; unset SLACK_BOT_TOKEN and install the app through /slack/install",
    );
  if (env.SLACK_APP_TOKEN)
    problems.push(
      '  Slack OAuth runs in HTTP mode: unset SLACK_APP_TOKEN (Socket Mode) when SLACK_CLIENT_ID is set',
    );
  if (!env.SLACK_SIGNING_SECRET) problems.push('  Slack OAuth runs in HTTP mode: set SLACK_SIGNING_SECRET');
  if (env.SLACK_REDIRECT_URI && !new URL(env.SLACK_REDIRECT_URI).pathname.endsWith('/slack/oauth_redirect'))
    problems.push(
      `  SLACK_REDIRECT_URI=${JSON.stringify(env.SLACK_REDIRECT_URI)} must end in /slack/oauth_redirect (the path paperbot serves)`,
    );
  return problems;
}
