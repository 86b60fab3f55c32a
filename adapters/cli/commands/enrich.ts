import { parseArgs } from 'node:util';
import { arxivIdOf } from '../../../src/corpus/paper.ts';
import { createEmbeddings } from '../../../src/embeddings/create-embeddings.ts';
import { ArxivClient } from '../../../src/ingest/arxiv-client.ts';
import {
  DEFAULT_TITLE_SIMILARITY,
  type EnrichmentResult,
  enrichPapers,
  papersWithoutArxivId,
} from '../../../src/ingest/enrich.ts';
import { createHttpClient } from '../../../src/ingest/http-client.ts';
import { ingestPapers } from '../../../src/ingest/ingest-papers.ts';
import { seedStoreIfEmpty } from '../../../src/ingest/seed-store.ts';
import { PaperIndex } from '../../../src/retrieval/paper-index.ts';
import { databasePath, openDatabase } from '../../../src/storage/database.ts';
import { PaperStore } from '../../../src/storage/paper-store.ts';
import { type CliCommand, type CliContext, EXIT } from '../context.ts';
import { createProgressBar } from '../progress.ts';

export const USAGE = `Usage: paperbot enrich [ID...] [--dry-run] [--threshold ${DEFAULT_TITLE_SIMILARITY}] [--json]
Looks up papers without an arXiv id (all of them, or the ids given) by title in arXiv and fills
the arXiv id, authors, date and links of confident matches. --dry-run lists them and writes nothing.
`;

function line(result: EnrichmentResult): string {
  const head = `${result.paperId}: ${result.title}`;
  if (result.status === 'matched') {
    const fields = Object.keys(result.fills ?? {}).join(', ');
    return `${head}\n  -> arXiv ${result.arxivId} "${result.arxivTitle}" (similarity ${result.similarity}); fills ${fields}`;
  }
  return `${head}\n  ${result.status}: ${result.reason}${result.arxivId && result.status !== 'taken' ? ` (closest: ${result.arxivId} "${result.arxivTitle}")` : result.arxivId ? ` (${result.arxivId})` : ''}`;
}

async function run(ids: string[], dryRun: boolean, threshold: number, json: boolean, context: CliContext) {
  const database = openDatabase(databasePath(context.config.indexDir));
  try {
    const store = new PaperStore(database);
    const index = await PaperIndex.open(context.config.indexDir, await createEmbeddings(context.config));
    const all = store.count() > 0 ? store.all() : index.papers();
    const missing = ids.filter((id) => !all.some((paper) => paper.id === id));
    if (missing.length > 0) {
      context.err(`No paper ${missing.join(', ')} in the corpus. List the ids with: paperbot papers list\n`);
      return EXIT.failure;
    }
    const candidates = papersWithoutArxivId(ids.length ? all.filter((paper) => ids.includes(paper.id)) : all);
    const known = new Map<string, string>();
    for (const paper of all) {
      const arxivId = arxivIdOf(paper);
      if (arxivId) known.set(arxivId, paper.id);
    }
    const http = createHttpClient({ logger: context.logger, userAgent: 'paperbot-enrich/0.1' });
    const client = new ArxivClient({ baseUrl: context.config.arxivApiUrl, http, logger: context.logger });
    const progress = createProgressBar('Looking up titles', context.err, context.interactive);
    const results = await enrichPapers(candidates, client, { threshold, known, onPaper: progress.update });
    progress.finish();
    const matched = results.flatMap((result) => (result.paper ? [result.paper] : []));
    if (!dryRun && matched.length > 0) {
      seedStoreIfEmpty(store, { indexed: index.papers(), logger: context.logger });
      await ingestPapers(matched, { store, index, logger: context.logger });
    }
    const counts = {
      looked: results.length,
      matched: matched.length,
      noMatch: results.filter((result) => result.status === 'no-match').length,
      taken: results.filter((result) => result.status === 'taken').length,
      failed: results.filter((result) => result.status === 'failed').length,
    };
    if (json) {
      const rows = results.map(({ paper: _paper, ...rest }) => rest);
      context.out(`${JSON.stringify({ dryRun, threshold, ...counts, results: rows })}\n`);
    } else {
      const verb = dryRun ? 'would fill' : 'filled';
      context.out(
        `${results.map(line).join('\n')}${results.length ? '\n' : ''}${dryRun ? 'Dry run (nothing written): ' : ''}${counts.looked} looked up, ${counts.matched} ${verb}, ${counts.noMatch} without a confident match, ${counts.taken} already in the corpus, ${counts.failed} failed\n`,
      );
    }
    return counts.failed > 0 ? EXIT.failure : EXIT.ok;
  } finally {
    database.close();
  }
}

/** `paperbot enrich`: arXiv ids, authors, dates and links for papers that lack them. */
export const enrichCommand: CliCommand = async (args, context) => {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    context.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const threshold = values.threshold === undefined ? DEFAULT_TITLE_SIMILARITY : Number(values.threshold);
  if (!(threshold > 0 && threshold <= 1)) {
    context.err(`--threshold must be a number above 0 and at most 1, got "${values.threshold}".\n${USAGE}`);
    return EXIT.usage;
  }
  return run(positionals, values['dry-run'], threshold, values.json, context);
};

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      threshold: { type: 'string' },
    },
  });
}
