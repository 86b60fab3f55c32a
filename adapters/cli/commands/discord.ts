import { parseArgs } from 'node:util';
import { REST, Routes } from 'discord.js';
import { commandDefinitions } from '../../discord/commands.ts';
import { type CliCommand, EXIT } from '../context.ts';

export const USAGE = `Usage: paperbot discord register [--guild <id>]

Registers the slash commands (/search, /ask, /trending, /subscribe, /unsubscribe) with Discord:
for one server with --guild (instant, for testing), globally otherwise (may take up to an hour to
show). Needs DISCORD_TOKEN and DISCORD_APPLICATION_ID; DISCORD_API_URL overrides the REST base.
Run it once after install and after upgrading paperbot, not on every start.
`;

/** `paperbot discord register [--guild <id>]`: PUTs the command definitions (replacing the old set). */
export const discordCommand: CliCommand = async (args, context) => {
  const [subcommand, ...rest] = args;
  if (subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
    context.out(USAGE);
    return EXIT.ok;
  }
  if (subcommand !== 'register') {
    context.err(`${subcommand ? `Unknown subcommand "${subcommand}".\n` : ''}${USAGE}`);
    return EXIT.usage;
  }
  let guild: string | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { guild: { type: 'string' } },
    });
    if (positionals.length > 0) throw new Error(`Unexpected argument "${positionals[0]}".`);
    guild = values.guild;
  } catch (error) {
    context.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  if (guild !== undefined && !/^\d{17,20}$/.test(guild)) {
    context.err(`--guild must be a server id (17 to 20 digits), got "${guild}".\n`);
    return EXIT.usage;
  }
  const discord = context.config.discord;
  if (!discord?.token || !discord.applicationId) {
    context.err(
      'Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (Developer Portal → your application: General Information → Application ID; Bot → Reset Token).\n',
    );
    return EXIT.usage;
  }
  const client = new REST({ ...(discord.apiUrl ? { api: discord.apiUrl.replace(/\/$/, '') } : {}) }).setToken(
    discord.token,
  );
  const commands = commandDefinitions();
  const route = guild
    ? Routes.applicationGuildCommands(discord.applicationId, guild)
    : Routes.applicationCommands(discord.applicationId);
  const registered = (await client.put(route, { body: commands })) as unknown[];
  const names = commands.map((command) => `/${command.name}`).join(', ');
  context.err(
    guild
      ? `Registered ${registered.length} commands in server ${guild}: ${names}\n`
      : `Registered ${registered.length} global commands: ${names} (Discord may take up to an hour to show them)\n`,
  );
  return EXIT.ok;
};
