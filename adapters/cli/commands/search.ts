import { parseArgs } from 'node:util';
import { paperReference } from '../../../src/corpus/citation.ts';
import { type CliCommand, EXIT } from '../context.ts';
import { renderHits } from '../render.ts';

const USAGE = 'Usage: paperbot search "<query>" [--k 10] [--json]\n';

/** `paperbot search`: ranked papers with scores. */
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
      ...paperReference(hit.paper),
    }));
    context.out(`${JSON.stringify(rows)}\n`);
  } else {
    context.out(renderHits(hits));
  }
  return EXIT.ok;
};
