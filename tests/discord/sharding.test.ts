import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/discord-adapter.ts';
import { identifyGateName } from '../../adapters/discord/identify-throttler.ts';
import type { DiscordSharding } from '../../src/config/discord-sharding.ts';
import type { SpacedGate } from '../../src/coordination/spaced-gate.ts';
import { FakeBot } from '../fakes/fake-bot.ts';
import { FakeDiscord, IDS, waitFor } from '../fakes/fake-discord.ts';
import type { FakeGatewayOptions } from '../fakes/fake-discord-gateway.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { embedsOf, expectBothShardsIdentified } from './discord-harness.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A gate that records every pass and lets it through at once (or fails, when told to). */
function recordingGate(failure?: Error): SpacedGate & { passes: { name: string; spacingMs: number }[] } {
  const passes: { name: string; spacingMs: number }[] = [];
  return {
    passes,
    async pass(name, spacingMs) {
      passes.push({ name, spacingMs });
      if (failure) throw failure;
    },
  };
}

async function startDiscord(options: FakeGatewayOptions = {}): Promise<FakeDiscord> {
  const discord = await FakeDiscord.start({ guildIds: [IDS.guild, IDS.secondGuild], ...options });
  cleanups.push(() => discord.stop());
  return discord;
}

function adapterFor(discord: FakeDiscord, shards: DiscordSharding | undefined, identifyGate?: SpacedGate) {
  const log = recordingLogger();
  const adapter: DiscordAdapter = createDiscordAdapter({
    bot: new FakeBot(),
    config: {
      token: 'fake-bot-token-123456',
      applicationId: IDS.application,
      apiUrl: discord.apiUrl,
      ...(shards ? { shards } : {}),
    },
    logger: log.logger,
    rest: { retries: 0, timeout: 3_000, offset: 0 },
    waitGuildTimeoutMs: 2_000,
    identifyGate,
  });
  cleanups.push(() => adapter.stop());
  return { adapter, log };
}

/** Every REST request answering the interaction of `token` (callback, edits, follow-ups). */
const answersTo = (discord: FakeDiscord, token: string) =>
  discord.requests.filter((request) => request.path.includes(`/${token}`));

describe('discord shards', () => {
  it('runs shards 0 and 1 of 2 in one process: each identifies with its shard and gets its guild', async () => {
    const discord = await startDiscord({ maxConcurrency: 2 });
    const gate = recordingGate();
    const { adapter } = adapterFor(discord, { ids: [0, 1], count: 2 }, gate);
    await adapter.start();
    expectBothShardsIdentified(discord);
    expect([...adapter.client.ws.shards.keys()].sort()).toEqual([0, 1]);
    expect(adapter.client.guilds.cache.get(IDS.guild)?.shardId).toBe(0);
    expect(adapter.client.guilds.cache.get(IDS.secondGuild)?.shardId).toBe(1);
    // max_concurrency 2: two buckets, one gate each, each passed with the window plus a margin.
    expect(gate.passes.map((pass) => pass.name).sort()).toEqual([
      identifyGateName(IDS.application, 0),
      identifyGateName(IDS.application, 1),
    ]);
    expect(gate.passes[0]?.spacingMs).toBeGreaterThan(5_000);

    const first = discord.slashCommand('search', { query: 'layers' });
    const second = discord.slashCommand('search', { query: 'layers' }, { guildId: IDS.secondGuild });
    expect([first.shard, second.shard]).toEqual([0, 1]);
    for (const { token } of [first, second]) {
      const [callback, edit] = await waitFor(() => {
        const found = answersTo(discord, token);
        return found.length >= 2 ? found : undefined;
      });
      expect(callback?.body).toMatchObject({ type: 5 });
      expect(embedsOf(edit)[0]?.title).toContain('layers');
    }
  });

  it('runs every recommended shard with DISCORD_SHARDS=auto', async () => {
    const discord = await startDiscord({ recommendedShards: 2, maxConcurrency: 2 });
    const { adapter } = adapterFor(discord, 'auto', recordingGate());
    await adapter.start();
    expectBothShardsIdentified(discord);
    expect(adapter.client.options.shardCount).toBe(2);
  });

  it('resumes one shard after its socket closes with 4000 while the other stays, and answers on both', async () => {
    const discord = await startDiscord({ maxConcurrency: 2 });
    const { adapter } = adapterFor(discord, { ids: [0, 1], count: 2 }, recordingGate());
    await adapter.start();
    discord.gateway.close(4000, 1);
    await waitFor(() => discord.gateway.framesWithOp(6).length === 1);
    // The resume comes on a new connection, and neither shard identified again.
    const shardOne = discord.gateway.identifies().find((frame) => frame.shard[0] === 1)!;
    expect(discord.gateway.framesWithOp(6)[0]?.connection).toBeGreaterThan(shardOne.connection);
    await waitFor(() => adapter.client.ws.shards.get(1)?.status === 0);
    expect(discord.gateway.identifies()).toHaveLength(2);
    for (const guildId of [IDS.guild, IDS.secondGuild]) {
      const { token } = discord.slashCommand('search', { query: 'after resume' }, { guildId });
      await waitFor(() => answersTo(discord, token).length >= 2);
    }
  });

  it('runs only its own shard: the other guild is not in its cache and its events never reach it', async () => {
    const discord = await startDiscord();
    const { adapter } = adapterFor(discord, { ids: [1], count: 2 }, recordingGate());
    await adapter.start();
    expect(discord.gateway.identifies().map((frame) => frame.shard)).toEqual([[1, 2]]);
    expect([...adapter.client.guilds.cache.keys()]).toEqual([IDS.secondGuild]);
    // Shard 0 has no session: its guild's interaction goes nowhere, the other is answered.
    expect(discord.slashCommand('search', { query: 'elsewhere' }).shard).toBeUndefined();
    const mine = discord.slashCommand('search', { query: 'mine' }, { guildId: IDS.secondGuild });
    await waitFor(() => answersTo(discord, mine.token).length >= 2);
  });

  it('posts a digest over REST to a channel of a guild on another shard', async () => {
    const discord = await startDiscord();
    const { adapter } = adapterFor(discord, { ids: [1], count: 2 }, recordingGate());
    await adapter.start();
    expect(adapter.client.channels.cache.has(IDS.digests)).toBe(false);
    const destination = {
      id: `discord:${IDS.digests}`,
      platform: 'discord' as const,
      channelId: IDS.digests,
      cron: '0 9 * * *',
      timeZone: 'UTC',
    };
    const digest = {
      title: 'Trending papers',
      date: '2026-11-29',
      items: [
        {
          rank: 1,
          paperId: '2401.00001',
          title: 'Layer by Layer',
          summary: 'Intermediate layers beat the last one.',
          links: {},
          score: 1,
        },
      ],
    };
    await adapter.digestSender.send(destination, digest, 'pb-digest-from-shard-1');
    const posts = discord.requestsTo('POST', new RegExp(`^/channels/${IDS.digests}/messages$`));
    expect(posts).toHaveLength(1);
    expect(posts[0]?.authorization).toBe('Bot fake-bot-token-123456');
  });

  it('leaves identify throttling to discord.js without DISCORD_SHARDS: shard [0, 1], the gate unused', async () => {
    const discord = await startDiscord();
    const gate = recordingGate();
    const { adapter } = adapterFor(discord, undefined, gate);
    await adapter.start();
    expect(discord.gateway.identifies().map((frame) => frame.shard)).toEqual([[0, 1]]);
    expect(adapter.client.guilds.cache.size).toBe(2); // one shard of one: every guild
    expect(gate.passes).toHaveLength(0);
  });

  it('identifies anyway, spaced in-process, when the shared store fails, and says so', async () => {
    const discord = await startDiscord();
    const gate = recordingGate(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    const { adapter, log } = adapterFor(discord, { ids: [0], count: 2 }, gate);
    await adapter.start();
    expect(gate.passes).toHaveLength(1);
    expect(discord.gateway.identifies().map((frame) => frame.shard)).toEqual([[0, 2]]);
    expect(log.warnings()).toContainEqual(
      expect.objectContaining({
        msg: 'shared identify throttle unavailable; spacing identifies in this process only',
        error: expect.stringContaining('ECONNREFUSED'),
      }),
    );
  });
});
