import { describe, expect, it } from 'vitest';
import { EMBED_LIMITS, embedLength } from '../../adapters/discord/embeds.ts';
import { PERMISSIONS } from '../fakes/fake-discord.ts';
import { contentOf, embedsOf, IDS, startHarness, waitFor } from './discord-harness.ts';

const EPHEMERAL = 64;

function expectWithinLimits(embeds: Record<string, unknown>[]): void {
  expect(embeds.length).toBeGreaterThan(0);
  expect(embeds.length).toBeLessThanOrEqual(EMBED_LIMITS.embedsPerMessage);
  const total = embeds.reduce((sum, embed) => sum + embedLength(embed as never), 0);
  expect(total).toBeLessThanOrEqual(EMBED_LIMITS.total);
  for (const embed of embeds) {
    expect(String(embed.description ?? '').length).toBeLessThanOrEqual(EMBED_LIMITS.description);
    for (const field of (embed.fields as { value: string }[] | undefined) ?? []) {
      expect(field.value.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldValue);
    }
  }
}

describe('discord slash commands', () => {
  it('/search defers ephemerally and edits in ranked papers without mentions', async () => {
    const { discord, bot, waitForResponses } = await startHarness();
    const { token } = discord.slashCommand('search', { query: 'hidden layers' });
    const [callback, edit] = await waitForResponses(token, 2);
    expect(callback?.body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(callback?.authorization).toBeUndefined();
    expect(edit?.method).toBe('PATCH');
    expect(edit?.path).toBe(`/webhooks/${IDS.application}/${token}/messages/@original`);
    expect(edit?.body?.allowed_mentions).toEqual({ parse: [], replied_user: false });
    const [embed] = embedsOf(edit);
    expect(embed?.description).toContain(
      '[Layer by Layer: Hidden Representations](https://arxiv.org/abs/2401.00001)',
    );
    expectWithinLimits(embedsOf(edit));
    expect(bot.searches[0]?.query).toBe('hidden layers');
  });

  it('/search public:true posts in the channel', async () => {
    const { discord, waitForResponses } = await startHarness();
    const { token } = discord.slashCommand('search', { query: 'layers', public: true });
    const [callback, edit] = await waitForResponses(token, 2);
    expect(callback?.body?.type).toBe(5);
    expect(Number((callback?.body?.data as { flags?: number } | undefined)?.flags ?? 0) & EPHEMERAL).toBe(0);
    expect(embedsOf(edit)[0]?.title).toContain('layers');
  });

  it('/ask defers publicly, then edits in the cited answer with sources', async () => {
    const { discord, bot, waitForResponses } = await startHarness();
    const { token } = discord.slashCommand('ask', { question: 'What do intermediate layers encode?' });
    const [callback, edit] = await waitForResponses(token, 2);
    expect(callback?.body?.type).toBe(5);
    expect(Number((callback?.body?.data as { flags?: number } | undefined)?.flags ?? 0) & EPHEMERAL).toBe(0);
    expect(edit?.method).toBe('PATCH');
    const [embed] = embedsOf(edit);
    expect(embed?.title).toBe('What do intermediate layers encode?');
    expect(embed?.description).toContain('\\[1\\] and \\[2\\]');
    const sources = (embed?.fields as { name: string; value: string }[] | undefined)?.[0];
    expect(sources?.name).toBe('Sources');
    expect(sources?.value).toContain(
      '[Layer by Layer: Hidden Representations](https://arxiv.org/abs/2401.00001)',
    );
    expect(edit?.body?.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(bot.asks[0]?.question).toBe('What do intermediate layers encode?');
  });

  it('/ask splits a long answer over the reply and follow-ups, and caps a 200 KB one at three messages', async () => {
    const sentence = 'Intermediate layers carry more transferable features than the last layer. ';
    const answerText = sentence.repeat(2_700); // 202,500 characters
    const { discord, responsesTo } = await startHarness({ bot: { answerText } });
    const { token } = discord.slashCommand('ask', { question: 'long?' });
    // The sources field comes with the last part.
    await waitFor(() =>
      responsesTo(token).some((request) => embedsOf(request).some((embed) => embed.fields)),
    );
    const replies = responsesTo(token).slice(1);
    expect(replies.length).toBeGreaterThanOrEqual(2);
    expect(replies.length).toBeLessThanOrEqual(3);
    expect(replies[0]?.method).toBe('PATCH');
    expect(replies.slice(1).every((request) => request.method === 'POST')).toBe(true);
    const text = replies
      .flatMap(embedsOf)
      .map((embed) => embed.description)
      .join(' ');
    expect(text.replace(/\s+/g, ' ').length).toBeGreaterThan(10_000);
    expect(text).toMatch(/…\(truncated\)$/);
    for (const reply of replies) expectWithinLimits(embedsOf(reply));
  });

  it('/ask with a blank question answers with usage, without calling the core', async () => {
    const { discord, bot, waitForResponses } = await startHarness();
    const { token } = discord.slashCommand('ask', { question: '   ' });
    const [reply] = await waitForResponses(token, 1);
    expect(reply?.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(contentOf(reply)).toMatch(/empty.*Usage: `\/ask question:/);
    expect(bot.asks).toHaveLength(0);
  });

  it('/ask shows the apology when the core fails', async () => {
    const { discord, waitForResponses } = await startHarness({ bot: { askError: new Error('boom') } });
    const { token } = discord.slashCommand('ask', { question: 'fails?' });
    const [, edit] = await waitForResponses(token, 2);
    expect(edit?.body?.content).toMatch(/Sorry, something went wrong/);
    expect(JSON.stringify(edit?.body)).not.toContain('boom');
  });

  it('/trending previews the digest ephemerally in embeds within the limits', async () => {
    const { discord, bot, waitForResponses } = await startHarness();
    const { token } = discord.slashCommand('trending', { topic: 'robotics' });
    const [callback, edit] = await waitForResponses(token, 2);
    expect(callback?.body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const embeds = embedsOf(edit);
    expect(embeds.map((embed) => embed.title)).toEqual([
      'Trending papers',
      '1. Layer by Layer: Hidden Representations',
      '2. Second Paper',
    ]);
    expect(embeds[1]?.url).toBe('https://arxiv.org/abs/2401.00001');
    expectWithinLimits(embeds);
    expect(bot.trendingCalls[0]).toEqual({ topic: { query: 'robotics' } });
  });

  it('/subscribe is refused without Manage Channels and writes nothing', async () => {
    const { discord, subscriptions, waitForResponses } = await startHarness();
    const { token } = discord.slashCommand(
      'subscribe',
      { time_zone: 'Europe/Berlin' },
      { userId: IDS.member, permissions: PERMISSIONS.plain },
    );
    const [reply] = await waitForResponses(token, 1);
    expect(reply?.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(contentOf(reply)).toContain('Manage Channels');
    expect(await subscriptions!.list()).toEqual([]);
  });

  it('/subscribe saves the channel’s schedule, zone and topic; /unsubscribe removes it', async () => {
    const { discord, subscriptions, waitForResponses } = await startHarness();
    const first = discord.slashCommand('subscribe', { time_zone: 'Asia/Tokyo', hour: 8, topic: 'robotics' });
    const [reply] = await waitForResponses(first.token, 1);
    expect(contentOf(reply)).toContain('`0 8 * * 1-5` (Asia/Tokyo)');
    expect(await subscriptions!.list()).toEqual([
      expect.objectContaining({
        destinationId: `discord:${IDS.general}`,
        platform: 'discord',
        channelId: IDS.general,
        teamId: IDS.guild,
        cron: '0 8 * * 1-5',
        timeZone: 'Asia/Tokyo',
        topic: 'robotics',
        createdBy: IDS.admin,
      }),
    ]);
    const second = discord.slashCommand('unsubscribe');
    const [removed] = await waitForResponses(second.token, 1);
    expect(contentOf(removed)).toContain('Unsubscribed');
    expect(await subscriptions!.list()).toEqual([]);
  });

  it.each([
    [{ time_zone: 'Mars/Olympus' }, 'not an IANA time zone'],
    [{ cron: 'every morning' }, 'not a valid cron expression'],
    [{ cron: '0 9 * * *', hour: 7 }, 'either `hour:` or `cron:`'],
    [{ topic: 'the and of' }, 'has no content words'],
  ])('/subscribe %o explains what to fix', async (options, message) => {
    const { discord, subscriptions, waitForResponses } = await startHarness();
    const { token } = discord.slashCommand('subscribe', options);
    const [reply] = await waitForResponses(token, 1);
    expect(contentOf(reply)).toContain(message);
    expect(await subscriptions!.list()).toEqual([]);
  });
});

describe('discord rate limits', () => {
  it('answers a user over the per-user limit with a polite notice and does not ask the core', async () => {
    const { discord, bot, waitForResponses } = await startHarness({
      rateLimits: { userPerMinute: 1, channelPerMinute: 100 },
    });
    const first = discord.slashCommand('ask', { question: 'first question?' });
    await waitForResponses(first.token, 2);
    const second = discord.slashCommand('ask', { question: 'second question?' });
    const [callback] = await waitForResponses(second.token, 1);
    expect(callback?.body?.type).toBe(4);
    const data = callback?.body?.data as { content: string; flags: number } | undefined;
    expect(data?.content).toMatch(
      /You are asking faster than I can keep up\. Please try again in about 60 s\./,
    );
    expect((data?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    expect(bot.asks.map((call) => call.question)).toEqual(['first question?']);
  });
});
