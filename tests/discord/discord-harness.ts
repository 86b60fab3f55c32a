import { afterEach, expect } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/discord-adapter.ts';
import { IDENTIFY_WINDOW_MS } from '../../adapters/discord/identify-throttler.ts';
import type { RateLimits } from '../../src/runtime/rate-limiter.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { SqliteSubscriptionRepository } from '../../src/trending/sqlite-subscriptions.ts';
import { FakeBot, type FakeBotOptions } from '../fakes/fake-bot.ts';
import { FakeDiscord, IDS, type RestRequest, waitFor } from '../fakes/fake-discord.ts';
import type { FakeGatewayOptions } from '../fakes/fake-discord-gateway.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export interface HarnessOptions {
  bot?: FakeBotOptions;
  gateway?: FakeGatewayOptions;
  /** Leave `start()` to the test. */
  manualStart?: boolean;
  withoutDatabase?: boolean;
  rateLimits?: RateLimits;
}

/** A fake Discord, a FakeBot and a started adapter logged into it; torn down after the test. */
export async function startHarness(options: HarnessOptions = {}) {
  const discord = await FakeDiscord.start(options.gateway);
  cleanups.push(() => discord.stop());
  const bot = new FakeBot(options.bot);
  const log = recordingLogger();
  let subscriptions: SqliteSubscriptionRepository | undefined;
  if (!options.withoutDatabase) {
    const database = openDatabase(':memory:');
    subscriptions = new SqliteSubscriptionRepository(database);
    cleanups.push(() => {
      database.close();
    });
  }
  const adapter: DiscordAdapter = createDiscordAdapter({
    bot,
    config: { token: 'fake-bot-token-123456', applicationId: IDS.application, apiUrl: discord.apiUrl },
    subscriptions,
    logger: log.logger,
    rest: { retries: 0, timeout: 3_000, offset: 0 },
    waitGuildTimeoutMs: 2_000,
    rateLimits: options.rateLimits,
  });
  cleanups.push(() => adapter.stop());
  if (!options.manualStart) await adapter.start();

  /** Waits for the interaction's callback, edits and follow-ups, in order. */
  const responsesTo = (token: string) =>
    discord.requests.filter((request) => request.path.includes(`/${token}`));
  const waitForResponses = (token: string, count: number) =>
    waitFor(() => {
      const found = responsesTo(token);
      return found.length >= count ? found : undefined;
    });
  return { discord, bot, log, adapter, subscriptions, responsesTo, waitForResponses };
}

/** The embeds a REST request carried. */
export function embedsOf(request: RestRequest | undefined): Record<string, unknown>[] {
  return ((request?.body?.embeds as Record<string, unknown>[] | undefined) ?? []).map((embed) => embed);
}

/** The text content of a callback (`data.content`) or of a message body (`content`). */
export function contentOf(request: RestRequest | undefined): string {
  const data = request?.body?.data as { content?: string } | undefined;
  return String(data?.content ?? request?.body?.content ?? '');
}

/** Shards 0 and 1 of 2 each identified once with the fake gateway. */
export function expectBothShardsIdentified(discord: FakeDiscord): void {
  expect(
    discord.gateway
      .identifies()
      .map((frame) => frame.shard)
      .sort(),
  ).toEqual([
    [0, 2],
    [1, 2],
  ]);
}

/** Both shards identified, at least `IDENTIFY_WINDOW_MS` apart (the identify throttle held across processes). */
export function expectBothShardsIdentifiedApart(discord: FakeDiscord): void {
  expectBothShardsIdentified(discord);
  const [first, second] = discord.gateway.identifies();
  const gap = Math.abs(second!.at - first!.at);
  expect(gap, `identify gap ${gap} ms`).toBeGreaterThanOrEqual(IDENTIFY_WINDOW_MS);
}

export { IDS, waitFor };
