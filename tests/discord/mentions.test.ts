import { describe, expect, it } from 'vitest';
import { embedsOf, IDS, startHarness, waitFor } from './discord-harness.ts';

describe('discord mentions', () => {
  it('answers a mention in a new thread, and a reply there as a follow-up with the earlier turns', async () => {
    const { discord, bot } = await startHarness();
    const question = discord.userMessage(IDS.general, 'what do intermediate layers encode?', {
      mentionBot: true,
    });
    const threadPath = `/channels/${IDS.general}/messages/${question.id}/threads`;
    await waitFor(() => discord.requestsTo('POST', new RegExp(`^${threadPath}$`)).length === 1);
    const threadId = question.id;
    const answers = () => discord.requestsTo('POST', new RegExp(`^/channels/${threadId}/messages$`));
    await waitFor(() => answers().length === 1);
    expect(discord.requestsTo('POST', new RegExp(`^${threadPath}$`))[0]?.body).toMatchObject({
      name: 'what do intermediate layers encode?',
    });
    expect(bot.asks[0]).toMatchObject({
      question: 'what do intermediate layers encode?',
      options: { history: [] },
    });
    expect(answers()[0]?.body?.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(embedsOf(answers()[0])[0]?.description).toContain('Answer to');

    discord.userMessage(threadId, 'and the last layer?');
    await waitFor(() => answers().length === 2);
    expect(bot.asks[1]?.question).toBe('and the last layer?');
    expect(bot.asks[1]?.options?.history).toEqual([
      { role: 'user', text: 'what do intermediate layers encode?' },
      {
        role: 'assistant',
        // The source lines travel in the text, so the core can find the papers of a follow-up.
        text: [
          'Answer to "what do intermediate layers encode?" [1] and [2].',
          '[1] [Layer by Layer: Hidden Representations](https://arxiv.org/abs/2401.00001)',
          '[2] [Second Paper](https://arxiv.org/abs/2401.00002)',
        ].join('\n'),
      },
    ]);
  });

  it('ignores messages that do not mention it outside its threads, and other bots', async () => {
    const { discord, bot } = await startHarness();
    discord.userMessage(IDS.general, 'just chatting');
    const marker = discord.userMessage(IDS.general, 'marker', { mentionBot: true });
    await waitFor(() => bot.asks.length === 1);
    expect(bot.asks.map((call) => call.question)).toEqual(['marker']);
    expect(discord.requestsTo('POST', /threads$/)).toHaveLength(1);
    expect(marker.id).toBeDefined();
  });

  it('answers an empty mention with usage in the channel, without a thread', async () => {
    const { discord, bot } = await startHarness();
    discord.userMessage(IDS.general, '', { mentionBot: true });
    const [reply] = await waitFor(() => {
      const found = discord.requestsTo('POST', new RegExp(`^/channels/${IDS.general}/messages$`));
      return found.length > 0 ? found : undefined;
    });
    expect(reply?.body?.content).toMatch(/Ask me about the papers/);
    expect(bot.asks).toHaveLength(0);
    expect(discord.requestsTo('POST', /threads$/)).toHaveLength(0);
  });
});
