import { parseArgs } from 'node:util';
import { relevanceLabel } from '../../../src/retrieval/relevance.ts';
import { type CliCommand, EXIT } from '../context.ts';
import { renderHits } from '../render.ts';

export const USAGE = 'Usage: paperbot search "<query>" [--k 10] [--json]\n';

/** `paperbot search`: ranked papers with their relevance; says so when nothing matches well. */
export const searchCommand: CliCommand = async (args, context) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { k: { type: 'string', default: '10' }, json: { type: 'boolean', default: false } },
  });
  const query = positionals.join(' ');
  const k = Number(values.k);
  if (!query.trim() || !Number.isInteger(k) || k < 1 || k > 100) {
    context.err(`${USAGE}--k must be a whole number from 1 to 100.\n`);
    return EXIT.usage;
  }
  const { bot } = await context.runtime();
  const hits = await bot.search(query, { k });
  if (values.json) {
    const rows = hits.map((hit) => ({
      paperId: hit.paper.id,
      title: hit.paper.title,
      score: Number(hit.score.toFixed(6)),
      ...(hit.relevance === undefined
        ? {}
        : { relevance: hit.relevance, relevanceLabel: relevanceLabel(hit.relevance) }),
    }));
    context.out(`${JSON.stringify(rows)}\n`);
  } else {
    context.out(renderHits(hits, query.trim()));
  }
  return EXIT.ok;
};
