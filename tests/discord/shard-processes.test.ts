import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { FakeDiscord, IDS, waitFor } from '../fakes/fake-discord.ts';
import { startJsonChild } from '../helpers/json-child.ts';
import { describePostgres } from '../helpers/postgres.ts';
import { embedsOf, expectBothShardsIdentifiedApart } from './discord-harness.ts';

const RUN_TS = join(PACKAGE_ROOT, 'bin', 'run-ts.mjs');
const CHILD = join(PACKAGE_ROOT, 'tests', 'fakes', 'discord-shard-child.ts');

const children: ChildProcess[] = [];
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A shard process (tests/fakes/discord-shard-child.ts) and the JSON events it printed. */
function startShardProcess(label: string, environment: Record<string, string>) {
  const { child, events, stderr } = startJsonChild([RUN_TS, CHILD, label], {
    LOG_LEVEL: 'warn',
    ...environment,
  });
  children.push(child);
  const ready = () =>
    waitFor(() => {
      if (child.exitCode !== null) throw new Error(`shard process ${label} exited: ${stderr()}`);
      return events.find((event) => event.event === 'ready');
    }, 90_000);
  return { child, events, ready, stderr };
}

describePostgres('Discord shards in two processes on one PostgreSQL', (databaseUrl) => {
  it('each process answers its own guild, nothing twice, and identifies a window apart', async () => {
    const discord = await FakeDiscord.start({ guildIds: [IDS.guild, IDS.secondGuild], maxConcurrency: 1 });
    cleanups.push(() => discord.stop());
    const common = {
      DISCORD_TOKEN: 'fake-bot-token-123456',
      DISCORD_APPLICATION_ID: IDS.application,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_SHARD_COUNT: '2',
      DATABASE_URL: databaseUrl(),
    };
    // Started together: max_concurrency 1 puts both shards in bucket 0, so one must wait.
    const first = startShardProcess('A', { ...common, DISCORD_SHARDS: '0' });
    const second = startShardProcess('B', { ...common, DISCORD_SHARDS: '1' });
    const [readyFirst, readySecond] = await Promise.all([first.ready(), second.ready()]);
    expect(readyFirst).toMatchObject({ shards: [0], shardCount: 2, guilds: [IDS.guild] });
    expect(readySecond).toMatchObject({ shards: [1], shardCount: 2, guilds: [IDS.secondGuild] });

    expectBothShardsIdentifiedApart(discord);

    const sent = Array.from({ length: 20 }, (_, position) => {
      const guildId = position % 2 === 0 ? IDS.guild : IDS.secondGuild;
      return { guildId, ...discord.slashCommand('search', { query: `shards ${position}` }, { guildId }) };
    });
    const answered = await waitFor(() => {
      const edits = sent.map(({ token }) =>
        discord.requests.filter(
          (request) => request.method === 'PATCH' && request.path.includes(`/${token}/`),
        ),
      );
      return edits.every((list) => list.length >= 1) ? edits : undefined;
    }, 30_000);
    for (const [position, { guildId, token }] of sent.entries()) {
      const callbacks = discord.requests.filter((request) => request.path.includes(`/${token}/callback`));
      expect(callbacks, `callbacks of interaction ${position}`).toHaveLength(1);
      expect(answered[position], `edits of interaction ${position}`).toHaveLength(1);
      const answeredBy = JSON.stringify(embedsOf(answered[position]![0]));
      expect(answeredBy).toContain(`Answered by shard process ${guildId === IDS.guild ? 'A' : 'B'}`);
    }
  });
});
