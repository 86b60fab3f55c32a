import type { Config } from '../../../src/config/config.ts';
import {
  type ChatAdapter,
  type ChatAdapterContext,
  type ChatAdapters,
  runServeProcess,
} from '../../../src/runtime/serve-process.ts';
import { createDiscordAdapter } from '../../discord/discord-adapter.ts';
import { createSlackAdapter } from '../../slack/slack-adapter.ts';
import { type CliCommand, EXIT } from '../context.ts';

export const USAGE = `Usage: paperbot serve

Runs the chat adapters whose variables are set (Slack, Discord), the digest scheduler, the feed
refresh and, with PAPERBOT_HTTP_PORT, /healthz and /metrics. Stops cleanly on SIGTERM or SIGINT.
PAPERBOT_ROLES (answer,refresh,digest; default all) pins what this process does. With
DATABASE_URL, any number of replicas may run: one at a time is elected to run the feed refresh.
`;

/** The adapters whose variables are set, and a line per adapter that is off saying how to enable it. */
function buildAdapters(config: Config, { bot, stores, logger }: ChatAdapterContext): ChatAdapters {
  const adapters: ChatAdapter[] = [];
  const off: string[] = [];
  const rateLimits = {
    userPerMinute: config.userRatePerMinute,
    channelPerMinute: config.channelRatePerMinute,
  };
  // One limiter for both adapters: on PostgreSQL its buckets are shared with the other replicas.
  const limiter = stores.rateLimiter(rateLimits, logger);
  if (config.slack) {
    const slack = createSlackAdapter({
      bot,
      config: config.slack,
      subscriptions: stores.subscriptions,
      feedback: stores.feedback,
      installations: stores.installations,
      eventDedup: stores.eventDedup,
      // A workspace that uninstalled the app gets no more digests.
      onUninstall: async (teamId) => {
        const removed = await stores.subscriptions.removeForTeam(teamId);
        logger.info({ teamId, removed }, 'slack workspace uninstalled: its digest subscriptions removed');
      },
      logger,
      rateLimits,
      limiter,
      host: config.httpHost,
    });
    adapters.push({
      name: `slack (${slack.mode} mode${slack.workspaces === 'oauth' ? ', OAuth: many workspaces' : ''})`,
      start: () => slack.start(),
      stop: () => slack.stop(),
      digestSender: slack.digestSender,
    });
  } else {
    off.push(
      'Slack: off (set SLACK_BOT_TOKEN and SLACK_APP_TOKEN, or SLACK_SIGNING_SECRET for HTTP mode; or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and SLACK_SIGNING_SECRET for many workspaces)',
    );
  }
  if (config.discord) {
    const discord = createDiscordAdapter({
      bot,
      config: config.discord,
      subscriptions: stores.subscriptions,
      logger,
      rateLimits,
      limiter,
      identifyGate: stores.spacedGate,
    });
    adapters.push({
      name: 'discord',
      start: () => discord.start(),
      stop: () => discord.stop(),
      digestSender: discord.digestSender,
    });
  } else {
    off.push('Discord: off (set DISCORD_TOKEN and DISCORD_APPLICATION_ID)');
  }
  return { adapters, off };
}

/** `paperbot serve`: parses its (empty) command line and runs the serve process with the chat adapters. */
export const serveCommand: CliCommand = async (args, context) => {
  if (args.includes('--help') || args.includes('-h')) {
    context.out(USAGE);
    return EXIT.ok;
  }
  if (args.length > 0) {
    context.err(`Unknown argument "${args[0]}".\n${USAGE}`);
    return EXIT.usage;
  }
  const { config } = context;
  const outcome = await runServeProcess({
    config,
    chatAdapters: (adapterContext) => buildAdapters(config, adapterContext),
    err: context.err,
    onSecondSignal: (signal) => {
      process.stderr.write(`paperbot serve: second ${signal}, exiting now\n`);
      process.exit(EXIT.failure);
    },
  });
  if (outcome === 'not started') return EXIT.failure;
  // Anything a library left running must not keep the process alive after a clean shutdown.
  setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
  return outcome === 'clean' ? EXIT.ok : EXIT.failure;
};
