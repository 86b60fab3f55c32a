import { parseArgs } from 'node:util';
import { paperReference } from '../../../src/corpus/citation.ts';
import { hasCode } from '../../../src/errors.ts';
import { type DateRange, parseDateRange } from '../../../src/retrieval/date-filter.ts';
import { relevanceLabel } from '../../../src/retrieval/relevance.ts';
import { type CliCommand, EXIT } from '../context.ts';
import { renderHits } from '../render.ts';

export const USAGE =
  'Usage: paperbot search "<query>" [--k 10] [--since DATE] [--until DATE] [--json]\n(DATE: 2024, 2024-06 or 2024-06-15)\n';

/** `paperbot search`: ranked papers with their relevance; says so when nothing matches well. */
export const searchCommand: CliCommand = async (args, context) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      k: { type: 'string', default: '10' },
      json: { type: 'boolean', default: false },
      since: { type: 'string' },
      until: { type: 'string' },
    },
  });
  const query = positionals.join(' ');
  const k = Number(values.k);
  if (!query.trim() || !Number.isInteger(k) || k < 1 || k > 100) {
    context.err(`${USAGE}--k must be a whole number from 1 to 100.\n`);
    return EXIT.usage;
  }
  let dates: DateRange | undefined;
  try {
    dates = parseDateRange(values.since, values.until);
  } catch (error) {
    if (!hasCode(error, 'DATE_INVALID')) throw error;
    context.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const { bot } = await context.runtime();
  const hits = await bot.search(query, { k, dates });
  if (values.json) {
    const rows = hits.map((hit) => ({
      paperId: hit.paper.id,
      title: hit.paper.title,
      score: Number(hit.score.toFixed(6)),
      ...(hit.relevance === undefined
        ? {}
        : { relevance: hit.relevance, relevanceLabel: relevanceLabel(hit.relevance) }),
      ...paperReference(hit.paper),
    }));
    context.out(`${JSON.stringify(rows)}\n`);
  } else {
    context.out(renderHits(hits, query.trim()));
  }
  return EXIT.ok;
};
