import { afterEach, describe, expect, it } from 'vitest';
import { discordCommand } from '../../adapters/cli/commands/discord.ts';
import type { CliContext } from '../../adapters/cli/context.ts';
import { loadConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/logger.ts';
import { FakeDiscord, IDS } from '../fakes/fake-discord.ts';

let discord: FakeDiscord | undefined;
afterEach(async () => {
  await discord?.stop();
  discord = undefined;
});

function context(environment: Record<string, string>) {
  const output = { out: '', err: '' };
  const value: CliContext = {
    config: loadConfig(environment),
    logger: silentLogger(),
    out: (text) => {
      output.out += text;
    },
    err: (text) => {
      output.err += text;
    },
    interactive: false,
    runtime: () => Promise.reject(new Error('register must not build the core')),
  };
  return { value, output };
}

describe('paperbot discord register', () => {
  it('registers the commands in a guild through DISCORD_API_URL', async () => {
    discord = await FakeDiscord.start();
    const { value, output } = context({
      DISCORD_TOKEN: 'fake-bot-token-123456',
      DISCORD_APPLICATION_ID: IDS.application,
      DISCORD_API_URL: discord.apiUrl,
    });
    expect(await discordCommand(['register', '--guild', IDS.guild], value)).toBe(0);
    const [request] = discord.requestsTo('PUT', /commands$/);
    expect(request?.path).toBe(`/applications/${IDS.application}/guilds/${IDS.guild}/commands`);
    expect(request?.authorization).toBe('Bot fake-bot-token-123456');
    const commands = request?.body as unknown as {
      name: string;
      options?: { name: string; required?: boolean }[];
    }[];
    expect(commands.map((command) => command.name)).toEqual([
      'search',
      'ask',
      'trending',
      'subscribe',
      'unsubscribe',
    ]);
    expect(commands[0]?.options?.map((option) => [option.name, option.required ?? false])).toEqual([
      ['query', true],
      ['public', false],
    ]);
    expect(output.err).toContain(`Registered 5 commands in server ${IDS.guild}`);
  });

  it('registers globally without --guild', async () => {
    discord = await FakeDiscord.start();
    const { value } = context({
      DISCORD_TOKEN: 'fake-bot-token-123456',
      DISCORD_APPLICATION_ID: IDS.application,
      DISCORD_API_URL: discord.apiUrl,
    });
    expect(await discordCommand(['register'], value)).toBe(0);
    expect(discord.registered.has('global')).toBe(true);
  });

  it('explains missing variables and bad arguments with a usage exit code', async () => {
    const missing = context({ DISCORD_TOKEN: 'fake-bot-token-123456' });
    expect(await discordCommand(['register'], missing.value)).toBe(2);
    expect(missing.output.err).toContain('DISCORD_APPLICATION_ID');
    const badGuild = context({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1' });
    expect(await discordCommand(['register', '--guild', 'abc'], badGuild.value)).toBe(2);
    expect(badGuild.output.err).toContain('--guild must be a server id');
    expect(await discordCommand(['deploy'], badGuild.value)).toBe(2);
  });
});
