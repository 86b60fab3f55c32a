import { describe, expect, it } from 'vitest';
import { MAX_NONCE_LENGTH, partNonce, shortKey } from '../../adapters/discord/digest-sender.ts';
import { EMBED_LIMITS, embedLength } from '../../adapters/discord/embeds.ts';
import { silentLogger } from '../../src/logger.ts';
import { createDigestLedger, digestKey } from '../../src/trending/digest-ledger.ts';
import { createDigestScheduler } from '../../src/trending/digest-scheduler.ts';
import { createTrendingService } from '../../src/trending/trending-service.ts';
import type { Digest, DigestDestination, DigestSender } from '../../src/trending/types.ts';
import type { FakeDiscord, RestRequest } from '../fakes/fake-discord.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { dayOfPapers, insertPapers, tempDatabase } from '../trending/trending-fixtures.ts';
import { embedsOf, IDS, startHarness, waitFor } from './discord-harness.ts';

const berlin: DigestDestination = {
  id: 'discord:berlin',
  platform: 'discord',
  channelId: IDS.general,
  cron: '0 9 * * 1-5',
  timeZone: 'Europe/Berlin',
  limit: 3,
};
const tokyo: DigestDestination = {
  ...berlin,
  id: 'discord:tokyo',
  channelId: IDS.digests,
  timeZone: 'Asia/Tokyo',
  limit: 2,
};

function bigDigest(items: number, summaryLength: number): Digest {
  return {
    title: 'Trending papers · 2026-07-13',
    date: '2026-07-13',
    items: Array.from({ length: items }, (_, index) => ({
      rank: index + 1,
      paperId: `2607.${10_000 + index}`,
      title: `Paper ${index + 1}`,
      summary: `Sentence ${index + 1}. `.repeat(summaryLength / 12),
      links: {
        abs: `https://arxiv.org/abs/2607.${10_000 + index}`,
        pdf: `https://arxiv.org/pdf/2607.${10_000 + index}`,
      },
      score: 10 - index,
      upvotes: 50 - index,
      authors: 'A. Author, B. Author et al.',
    })),
  };
}

function channelPosts(discord: FakeDiscord, channelId: string): RestRequest[] {
  return discord.requestsTo('POST', new RegExp(`^/channels/${channelId}/messages$`));
}

describe('discord digest sender', () => {
  it('posts the scheduled digest to two channels at 09:00 in their own time zones, with nonces', async () => {
    const { discord, adapter } = await startHarness({ manualStart: true });
    const store = tempDatabase();
    try {
      insertPapers(store.database, dayOfPapers('2026-07-10', 4));
      insertPapers(store.database, dayOfPapers('2026-07-13', 4));
      const clock = new ManualClock('2026-07-13T12:00:00Z'); // Monday, after both 09:00 runs
      const sentAt: [string, string][] = [];
      const sender: DigestSender = {
        platform: 'discord',
        send: async (destination, digest, key) => {
          sentAt.push([destination.id, new Date(clock.now()).toISOString()]);
          await adapter.digestSender.send(destination, digest, key);
        },
        wasDelivered: (destination, key) => adapter.digestSender.wasDelivered(destination, key),
      };
      const scheduler = createDigestScheduler({
        trending: createTrendingService({ database: store.database, clock }),
        ledger: createDigestLedger(store.database, { clock }),
        destinations: () => [berlin, tokyo],
        senders: [sender],
        clock,
        timer: clock,
        logger: silentLogger(),
      });
      scheduler.start();
      await clock.advanceTo('2026-07-14T12:00:00Z');
      await scheduler.stop();

      // Tokyo's 09:00 is 00:00Z, Berlin's (summer time) 07:00Z.
      expect(sentAt).toEqual([
        ['discord:tokyo', '2026-07-14T00:00:00.000Z'],
        ['discord:berlin', '2026-07-14T07:00:00.000Z'],
      ]);
      for (const [destination, channelId, papers] of [
        [tokyo, IDS.digests, 2],
        [berlin, IDS.general, 3],
      ] as const) {
        const [post, ...more] = channelPosts(discord, channelId);
        expect(more).toHaveLength(0);
        const key = digestKey(destination.id, '2026-07-14');
        expect(post?.body).toMatchObject({ nonce: partNonce(key, 0), enforce_nonce: true });
        expect(String(post?.body?.nonce).length).toBeLessThanOrEqual(MAX_NONCE_LENGTH);
        expect(post?.body?.allowed_mentions).toEqual({ parse: [] });
        const embeds = embedsOf(post);
        expect(embeds).toHaveLength(1 + papers);
        expect(embeds[1]?.title).toBe('1. Paper 1 of 2026-07-13');
        expect(JSON.stringify(embeds.at(-1)?.footer)).toContain(`ref ${shortKey(key)} · 1/1`);
        expect(await adapter.digestSender.wasDelivered(destination, key)).toBe(true);
      }
    } finally {
      store.cleanup();
    }
  });

  it('splits a long digest into messages within the limits, each with its own nonce', async () => {
    const { discord, adapter } = await startHarness({ manualStart: true });
    const destination = { ...berlin, channelId: IDS.digests };
    await adapter.digestSender.send(destination, bigDigest(12, 2_500), 'pb-key-of-a-long-digest');
    const posts = channelPosts(discord, IDS.digests);
    expect(posts.length).toBeGreaterThan(1);
    const nonces = posts.map((post) => String(post.body?.nonce));
    expect(new Set(nonces).size).toBe(posts.length);
    for (const [index, post] of posts.entries()) {
      expect(post.body?.enforce_nonce).toBe(true);
      expect(nonces[index]!.length).toBeLessThanOrEqual(MAX_NONCE_LENGTH);
      const embeds = embedsOf(post);
      expect(embeds.length).toBeLessThanOrEqual(EMBED_LIMITS.embedsPerMessage);
      expect(embeds.reduce((sum, embed) => sum + embedLength(embed as never), 0)).toBeLessThanOrEqual(
        EMBED_LIMITS.total,
      );
      expect(JSON.stringify(embeds.at(-1)?.footer)).toContain(`${index + 1}/${posts.length}`);
    }
    const titles = posts.flatMap(embedsOf).map((embed) => embed.title);
    expect(titles.filter((title) => String(title).match(/^\d+\. Paper/))).toHaveLength(12);
    expect(await adapter.digestSender.wasDelivered(destination, 'pb-key-of-a-long-digest')).toBe(true);
    expect(await adapter.digestSender.wasDelivered(destination, 'pb-another-key')).toBe(false);

    // Sending again (a crash before the ledger recorded it) reuses the nonces: no duplicates.
    await adapter.digestSender.send(destination, bigDigest(12, 2_500), 'pb-key-of-a-long-digest');
    expect(discord.messages.get(IDS.digests)).toHaveLength(posts.length);
  });

  it('reports a digest whose last part never arrived as not delivered', async () => {
    const { discord, adapter } = await startHarness({ manualStart: true });
    const destination = { ...berlin, channelId: IDS.digests };
    discord.failNext('POST', /^\/channels\/\d+\/messages$/, 500, { skip: 1 });
    await expect(
      adapter.digestSender.send(destination, bigDigest(12, 2_500), 'pb-partial'),
    ).rejects.toThrow();
    expect(discord.messages.get(IDS.digests)).toHaveLength(1);
    expect(await adapter.digestSender.wasDelivered(destination, 'pb-partial')).toBe(false);
  });

  it('waits out a 429 on a channel send per Retry-After, then posts', async () => {
    const { discord, adapter } = await startHarness({ manualStart: true });
    discord.failNext('POST', /^\/channels\/\d+\/messages$/, 429, { retryAfterSeconds: 0.4 });
    await adapter.digestSender.send(berlin, bigDigest(2, 100), 'pb-rate-limited');
    const attempts = channelPosts(discord, IDS.general);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(390);
    await waitFor(() => discord.messages.get(IDS.general)?.length === 1);
  });
});
