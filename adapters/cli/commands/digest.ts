import { parseArgs } from 'node:util';
import { systemClock } from '../../../src/clock.ts';
import type { Config } from '../../../src/config/config.ts';
import { PaperbotError } from '../../../src/errors.ts';
import type { Logger } from '../../../src/logger.ts';
import type { InstallationRepository } from '../../../src/storage/installation-repository.ts';
import { DEFAULT_MAX_AGE_DAYS } from '../../../src/trending/digest-delivery.ts';
import { DEFAULT_STALE_AFTER_MS } from '../../../src/trending/digest-ledger.ts';
import { digestDestinations } from '../../../src/trending/digest-runner.ts';
import { type SendDigestNowReport, sendDigestNow } from '../../../src/trending/digest-send.ts';
import { assertDay } from '../../../src/trending/trending-service.ts';
import type { DigestDestination, DigestSender } from '../../../src/trending/types.ts';
import { type CliCommand, EXIT } from '../context.ts';

export const USAGE = `Usage: paperbot digest send --destination ID [--date YYYY-MM-DD] [--take-over] [--json]

Posts the digest of one destination (from PAPERBOT_DIGEST_CONFIG or /subscribe) now, through the
digest ledger: safe while serve replicas run, a digest is posted at most once per destination and day.
  --destination ID  e.g. discord:123 or slack:C0123
  --date D          the run day it is recorded under (default: today in the destination's time zone);
                    it covers the newest Daily-Papers day before D, as the scheduled run would
  --take-over       post a digest left in doubt by a claimer you know is dead, without waiting
                    ${DEFAULT_STALE_AFTER_MS / 60_000} min (the platform is still checked first)
Exit 0 when the digest is posted (or was already), 1 when it was not.
`;

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      destination: { type: 'string' },
      date: { type: 'string' },
      'take-over': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
}

/** The sender of a platform, on its own REST / Web API client (no gateway, no Socket Mode). */
async function senderFor(
  platform: DigestDestination['platform'],
  config: Config,
  logger: Logger,
  installations: InstallationRepository,
): Promise<DigestSender> {
  if (platform === 'discord') {
    if (!config.discord)
      throw new PaperbotError('NOT_CONFIGURED', 'Set DISCORD_TOKEN to post digests to Discord.');
    const { createDiscordDigestSender } = await import('../../discord/digest-sender.ts');
    return createDiscordDigestSender(config.discord);
  }
  if (!config.slack)
    throw new PaperbotError(
      'NOT_CONFIGURED',
      'Set SLACK_BOT_TOKEN (or the SLACK_CLIENT_ID OAuth variables) to post digests to Slack.',
    );
  const { createSlackDigestSender } = await import('../../slack/digest-sender.ts');
  return createSlackDigestSender(config.slack, logger, installations);
}

const papers = (ids: readonly string[]) => `${ids.length} paper${ids.length === 1 ? '' : 's'}`;

/** One line (or two) saying what happened, and whether the digest is now posted. */
export function describeReport({ destination, runDate, result }: SendDigestNowReport): {
  text: string;
  posted: boolean;
} {
  const what = `the digest of ${destination.id} for ${runDate}`;
  const record = result.record;
  switch (result.outcome) {
    case 'sent':
    case 'note': {
      const messages = result.messageIds?.length ? ` (message ${result.messageIds.join(', ')})` : '';
      const body =
        result.outcome === 'sent'
          ? `${papers(result.paperIds)} of ${result.coversDate}: ${result.paperIds.join(', ')}`
          : 'the empty-day note';
      return { text: `Posted ${what}${messages}: ${body}.`, posted: true };
    }
    case 'recovered':
      return {
        text: `Recorded ${what} as sent: another run (${record?.owner}, claimed at ${record?.claimedAt}) had posted it but not recorded it yet, or was interrupted; nothing posted again.`,
        posted: true,
      };
    case 'done':
      return {
        text:
          record?.status === 'empty'
            ? `Not posted: ${what} was recorded empty at ${record.claimedAt} (nothing new that day).`
            : `Not posted: ${what} was already sent at ${record?.sentAt} (${papers(result.paperIds)}). Use another --date for another day.`,
        posted: true,
      };
    case 'empty':
      return {
        text: `Not posted: nothing new for ${destination.id} on ${runDate} (no Daily-Papers day in the ${DEFAULT_MAX_AGE_DAYS} days before it that this destination has not had). Ingest one (paperbot ingest hf), or pick another --date.`,
        posted: false,
      };
    case 'busy':
      return {
        text: `Not posted: ${what} is in doubt: claimed by ${record?.owner} at ${record?.claimedAt} and not found on the platform, so that claim may still be sending. It can be taken over ${DEFAULT_STALE_AFTER_MS / 60_000} min after the claim; if that process is dead, run again with --take-over.`,
        posted: false,
      };
    case 'failed':
      return {
        text: `Could not post ${what}: ${result.error}. Run again to retry (the platform is checked first, so it is never posted twice).`,
        posted: false,
      };
  }
}

/** `paperbot digest send`: posts one destination's digest now, through the ledger. */
export const digestCommand: CliCommand = async (args, context) => {
  const { values, positionals } = parse(args);
  if (positionals[0] !== 'send' || positionals.length > 1) {
    context.err(
      `${positionals.length === 0 ? 'Missing subcommand "send".' : `Unknown "${positionals.join(' ')}".`}\n${USAGE}`,
    );
    return EXIT.usage;
  }
  if (!values.destination?.trim()) {
    context.err(`--destination is required.\n${USAGE}`);
    return EXIT.usage;
  }
  if (values.date !== undefined) {
    try {
      assertDay(values.date);
    } catch (error) {
      context.err(`--date: ${(error as Error).message}\n${USAGE}`);
      return EXIT.usage;
    }
  }
  const { config, logger } = context;
  const runtime = await context.runtime();
  const destinations = await digestDestinations({
    digestConfigPath: config.digestConfigPath,
    subscriptions: runtime.stores.subscriptions,
    logger,
  })();
  const report = await sendDigestNow({
    destinationId: values.destination.trim(),
    ...(values.date ? { date: values.date } : {}),
    destinations,
    ledger: runtime.stores.digestLedger,
    trending: runtime.trending(),
    senderFor: (platform) => senderFor(platform, config, logger, runtime.stores.installations),
    clock: systemClock,
    logger,
    takeOverLive: values['take-over'] ?? false,
  });
  const { text, posted } = describeReport(report);
  if (values.json) {
    context.out(
      `${JSON.stringify(
        {
          destination: report.destination.id,
          platform: report.destination.platform,
          channelId: report.destination.channelId,
          date: report.runDate,
          outcome: report.result.outcome,
          posted,
          covers: report.result.coversDate ?? report.result.record?.coversDate ?? null,
          paperIds: report.result.paperIds,
          messageIds: report.result.messageIds ?? [],
          sentAt: report.result.record?.sentAt ?? null,
          claimedBy: report.result.record?.owner ?? null,
          claimedAt: report.result.record?.claimedAt ?? null,
          ...(report.result.error ? { error: report.result.error } : {}),
          message: text,
        },
        null,
        2,
      )}\n`,
    );
  } else if (posted) {
    context.out(`${text}\n`);
  }
  if (!posted) context.err(`paperbot digest send: ${text}\n`);
  return posted ? EXIT.ok : EXIT.failure;
};
