import { describe, expect, it } from 'vitest';
import { embedsOf, IDS, startHarness, waitFor } from './discord-harness.ts';

describe('discord gateway', () => {
  it('logs in with the token, identifies with the intents, heartbeats and becomes ready', async () => {
    const { discord, adapter } = await startHarness();
    const gatewayInfo = discord.requestsTo('GET', /^\/gateway\/bot$/);
    expect(gatewayInfo[0]?.authorization).toBe('Bot fake-bot-token-123456');
    const identify = discord.gateway.framesWithOp(2)[0]?.d as { token: string; intents: number };
    expect(identify.token).toBe('fake-bot-token-123456');
    // Guilds (1) | GuildMessages (512) | MessageContent (32768)
    expect(identify.intents).toBe(1 | 512 | 32768);
    expect(adapter.client.isReady()).toBe(true);
    expect(adapter.client.user?.id).toBe(IDS.bot);
    expect(adapter.client.guilds.cache.get(IDS.guild)?.name).toBe('Papers');
    // Heartbeats keep coming at the fake's 250 ms interval, each acknowledged.
    await waitFor(() => discord.gateway.framesWithOp(1).length >= 3);
    await waitFor(() => adapter.client.ws.ping >= 0);
  });

  it('resumes after the gateway closes with 4000, and still answers an interaction', async () => {
    const { discord, adapter, waitForResponses } = await startHarness();
    discord.gateway.close(4000);
    await waitFor(() => discord.gateway.framesWithOp(6).length === 1);
    const resume = discord.gateway.framesWithOp(6)[0]!;
    expect(resume.connection).toBe(2);
    expect(resume.d).toMatchObject({ session_id: 'session-1', token: 'fake-bot-token-123456' });
    expect(discord.gateway.framesWithOp(2)).toHaveLength(1); // no second IDENTIFY
    await waitFor(() => adapter.client.ws.status === 0);

    const { token } = discord.slashCommand('search', { query: 'layers' });
    const [callback, edit] = await waitForResponses(token, 2);
    expect(callback?.body).toMatchObject({ type: 5 });
    expect(embedsOf(edit)[0]?.title).toContain('layers');
  });

  it('identifies again after op 9 (session not resumable), and still answers an interaction', async () => {
    const { discord, waitForResponses } = await startHarness();
    discord.gateway.invalidateSession(false);
    // @discordjs/ws spaces IDENTIFYs at least 5 s apart (Discord's identify limit), so allow 10 s.
    await waitFor(() => discord.gateway.framesWithOp(2).length === 2, 10_000);
    expect(discord.gateway.framesWithOp(6)).toHaveLength(0);
    expect(discord.gateway.framesWithOp(2)[1]?.connection).toBe(2);

    const { token } = discord.slashCommand('search', { query: 'after op 9' });
    const [, edit] = await waitForResponses(token, 2);
    expect(embedsOf(edit)[0]?.title).toContain('after op 9');
  });

  it('survives READY without application (filled in from DISCORD_APPLICATION_ID)', async () => {
    const { adapter, log } = await startHarness({ gateway: { readyWithoutApplication: true } });
    expect(adapter.client.isReady()).toBe(true);
    expect(adapter.client.application?.id).toBe(IDS.application);
    expect(log.lines.some((line) => line.msg.includes('dropped'))).toBe(false);
  });

  it('drops an INTERACTION_CREATE without member or user, logs it, and answers the next one', async () => {
    const { discord, log, waitForResponses, responsesTo } = await startHarness();
    const broken = discord.slashCommand('search', { query: 'broken' }, { omit: ['member'] });
    const patched = discord.slashCommand(
      'search',
      { query: 'patched' },
      {
        omit: ['entitlements', 'authorizing_integration_owners'],
      },
    );
    const noData = discord.slashCommand('search', { query: 'no data' }, { omit: ['data'] });
    const next = discord.slashCommand('search', { query: 'next' });
    const [, edit] = await waitForResponses(next.token, 2);
    expect(embedsOf(edit)[0]?.title).toContain('next');
    // Missing entitlements/owners are repaired and answered; the one without a user is dropped.
    await waitForResponses(patched.token, 2);
    expect(responsesTo(broken.token)).toHaveLength(0);
    expect(responsesTo(noData.token)).toHaveLength(0);
    const warning = log.warnings().find((line) => line.msg === 'malformed gateway event dropped');
    expect(warning).toMatchObject({
      event: 'INTERACTION_CREATE',
      problem: 'interaction without member.user or user',
    });
    // What the repair step does not foresee is caught around discord.js's dispatch handling.
    expect(log.warnings().some((line) => line.msg === 'gateway event failed in discord.js; dropped')).toBe(
      true,
    );
  });

  it('stop() destroys the client and closes the gateway normally', async () => {
    const { discord, adapter } = await startHarness();
    await adapter.stop();
    await waitFor(() => discord.gateway.clientCloses.length === 1);
    expect(discord.gateway.clientCloses[0]?.code).toBe(1000);
    expect(adapter.client.isReady()).toBe(false);
    await adapter.stop();
  });
});
