import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord, IDS, waitFor } from '../fakes/fake-discord.ts';
import { startServe } from '../helpers/serve-process.ts';
import { copyBundledIndex } from '../helpers/temp-index.ts';
import { embedsOf, expectBothShardsIdentifiedApart } from './discord-harness.ts';

const children: ChildProcess[] = [];
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `paperbot serve` with `environment`; resolves its exit code, exposes its stderr. */
function serve(environment: Record<string, string>) {
  const { child, exited, stderr } = startServe('serve', {
    PAPERBOT_REFRESH_MINUTES: '0',
    LOG_LEVEL: 'info',
    ...environment,
  });
  children.push(child);
  const ready = () =>
    waitFor(() => {
      if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${stderr()}`);
      return stderr().includes('paperbot serve: ready (');
    }, 120_000);
  return { child, exited, ready, stderr };
}

describe('Discord shards in two `paperbot serve` processes on one machine', () => {
  it('each serves its own guild once, identifies a window apart through the shared SQLite store, stops cleanly', async () => {
    const discord = await FakeDiscord.start({ guildIds: [IDS.guild, IDS.secondGuild], maxConcurrency: 1 });
    cleanups.push(() => discord.stop());
    const index = copyBundledIndex();
    cleanups.push(index.cleanup);
    const common = {
      PAPERBOT_INDEX_DIR: index.dir,
      DISCORD_TOKEN: 'fake-bot-token-123456',
      DISCORD_APPLICATION_ID: IDS.application,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_SHARD_COUNT: '2',
    };
    const processes = [serve({ ...common, DISCORD_SHARDS: '0' }), serve({ ...common, DISCORD_SHARDS: '1' })];
    await Promise.all(processes.map((process) => process.ready()));

    expectBothShardsIdentifiedApart(discord);

    const sent = [IDS.guild, IDS.secondGuild].map((guildId) => ({
      guildId,
      ...discord.slashCommand('search', { query: 'intermediate layer representations' }, { guildId }),
    }));
    expect(sent.map((item) => item.shard)).toEqual([0, 1]);
    for (const { token } of sent) {
      const edit = await waitFor(
        () =>
          discord.requests.find(
            (request) => request.method === 'PATCH' && request.path.includes(`/${token}/`),
          ),
        60_000,
      );
      expect(embedsOf(edit)[0]?.title).toContain('intermediate layer representations');
      expect(discord.requests.filter((request) => request.path.includes(`/${token}/callback`))).toHaveLength(
        1,
      );
    }
    for (const process of processes) process.child.kill('SIGTERM');
    expect(await Promise.all(processes.map((process) => process.exited))).toEqual([0, 0]);
    // Each answered only its own guild: the other shard's interaction never reached it.
    for (const { token } of sent) {
      expect(discord.requests.filter((request) => request.path.includes(`/${token}/`))).toHaveLength(2);
    }
    expect(processes[0]!.stderr()).toContain('"shardCount":2');
  });
});
