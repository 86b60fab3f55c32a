import { parseArgs } from 'node:util';
import type { TrendingOptions } from '../../../src/bot-types.ts';
import { PaperbotError } from '../../../src/errors.ts';
import type { Digest, TopicFilter } from '../../../src/trending/types.ts';
import { type CliCommand, type CliContext, EXIT } from '../context.ts';

export const USAGE =
  'Usage: paperbot trending [--date YYYY-MM-DD] [--topic "text"] [--keywords a,b] [--threshold 0.5] [--limit N] [--json]\n';

/** Builds a digest for the options; the CLI passes the core's service, tests pass their own. */
export type DigestSource = (options: TrendingOptions) => Promise<Digest>;

/** Parses `trending` arguments into TrendingOptions; throws `USAGE` on bad input. */
export function parseTrendingArgs(args: string[]): { options: TrendingOptions; json: boolean } {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(args).values;
  } catch (error) {
    throw new PaperbotError('USAGE', (error as Error).message, { cause: error });
  }
  const options: TrendingOptions = {};
  if (values.date !== undefined) options.date = values.date;
  if (values.limit !== undefined) {
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new PaperbotError('USAGE', `--limit "${values.limit}" is not a positive whole number.`);
    options.limit = limit;
  }
  const topic: TopicFilter = {};
  if (values.topic?.trim()) topic.query = values.topic.trim();
  const keywords = (values.keywords ?? '')
    .split(',')
    .map((keyword) => keyword.trim())
    .filter(Boolean);
  if (keywords.length > 0) topic.keywords = keywords;
  if (values.threshold !== undefined) {
    const threshold = Number(values.threshold);
    if (!(threshold >= 0 && threshold <= 1))
      throw new PaperbotError('USAGE', `--threshold "${values.threshold}" is not a number from 0 to 1.`);
    topic.threshold = threshold;
  }
  if (topic.query || topic.keywords) options.topic = topic;
  return { options, json: values.json ?? false };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      date: { type: 'string' },
      topic: { type: 'string' },
      keywords: { type: 'string' },
      threshold: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
}

/** Plain-text rendering of a digest for the terminal. */
export function formatDigest(digest: Digest): string {
  const lines = [digest.title, ''];
  if (digest.items.length === 0) {
    lines.push(
      digest.note ?? `No trending papers for ${digest.date}. Ingest a day first: paperbot ingest hf`,
    );
    return `${lines.join('\n')}\n`;
  }
  for (const item of digest.items) {
    lines.push(`${item.rank}. ${item.title}`);
    const byline = [item.authors, item.upvotes === undefined ? undefined : `▲ ${item.upvotes}`].filter(
      Boolean,
    );
    if (byline.length > 0) lines.push(`   ${byline.join(' · ')}`);
    lines.push(`   ${item.summary}`);
    const links = [
      item.links.abs && `arXiv ${item.links.abs}`,
      item.links.pdf && `PDF ${item.links.pdf}`,
      item.links.code && `Code ${item.links.code}`,
    ].filter(Boolean);
    if (links.length > 0) lines.push(`   ${links.join(' · ')}`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

/** The command body, with the digest source injected. */
export async function runTrending(
  args: string[],
  io: Pick<CliContext, 'out' | 'err'>,
  source: () => Promise<DigestSource>,
): Promise<number> {
  let parsed: ReturnType<typeof parseTrendingArgs>;
  try {
    parsed = parseTrendingArgs(args);
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const build = await source();
  let digest: Digest;
  try {
    digest = await build(parsed.options);
  } catch (error) {
    if (error instanceof PaperbotError && /^(TRENDING_|TOPIC_)/.test(error.code)) {
      io.err(`${error.message}\n${USAGE}`);
      return EXIT.usage;
    }
    throw error;
  }
  io.out(parsed.json ? `${JSON.stringify(digest, null, 2)}\n` : formatDigest(digest));
  return EXIT.ok;
}

/** `paperbot trending`: previews the digest of a Daily-Papers day (default: the newest stored). */
export const trendingCommand: CliCommand = (args, context) =>
  runTrending(args, context, async () => {
    const runtime = await context.runtime();
    return (options) => runtime.trending().trendingDigest(options);
  });
