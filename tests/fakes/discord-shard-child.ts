// A Discord shard process for the shard tests: the real adapter (discord.js) on a FakeBot whose
// papers name this process, configured from the environment as `serve` is (DISCORD_SHARDS,
// DISCORD_SHARD_COUNT, DATABASE_URL or PAPERBOT_INDEX_DIR), its identify throttle on the shared
// store. Prints one JSON line per event on stdout; stops on SIGTERM.
import { createDiscordAdapter } from '../../adapters/discord/discord-adapter.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/logger.ts';
import { openPostgres } from '../../src/postgres/connection.ts';
import { createStores } from '../../src/runtime/stores.ts';
import { databasePath, openDatabase, type SqliteDatabase } from '../../src/storage/database.ts';
import { FakeBot } from './fake-bot.ts';

const say = (event: string, fields: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);

const label = process.argv[2] ?? String(process.pid);
const config = loadConfig(process.env);
if (!config.discord) throw new Error('discord-shard-child: DISCORD_TOKEN is not set');
const pool = config.databaseUrl ? await openPostgres(config.databaseUrl) : undefined;
let database: SqliteDatabase | undefined;
const stores = createStores(
  pool
    ? { kind: 'postgres', pool }
    : { kind: 'sqlite', database: () => (database ??= openDatabase(databasePath(config.indexDir))) },
);
const bot = new FakeBot({
  papers: [{ id: '2401.00001', title: `Answered by shard process ${label}`, abstract: 'Shards.' }],
});
const adapter = createDiscordAdapter({
  bot,
  config: config.discord,
  logger: createLogger(config.logLevel),
  rest: { retries: 0, timeout: 3_000, offset: 0 },
  waitGuildTimeoutMs: 2_000,
  identifyGate: stores.spacedGate,
});
process.on('SIGTERM', () => {
  void adapter
    .stop()
    .then(() => pool?.end())
    .then(() => {
      database?.close();
      say('stopped');
      process.exit(0);
    });
});
await adapter.start();
say('ready', {
  shards: [...adapter.client.ws.shards.keys()],
  shardCount: adapter.client.options.shardCount,
  guilds: [...adapter.client.guilds.cache.keys()],
});
