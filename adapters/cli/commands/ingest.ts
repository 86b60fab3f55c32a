import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadPapersJsonl, unknownKeysWarning } from '../../../src/corpus/jsonl.ts';
import { normalizePaperId, type Paper } from '../../../src/corpus/paper.ts';
import { createEmbeddings } from '../../../src/embeddings/create-embeddings.ts';
import { hasCode, PaperbotError } from '../../../src/errors.ts';
import { ArxivClient } from '../../../src/ingest/arxiv-client.ts';
import { daysBetween, type FeedReport, fetchHuggingFaceDays } from '../../../src/ingest/feed-fetch.ts';
import { createHttpClient } from '../../../src/ingest/http-client.ts';
import { HuggingFaceClient } from '../../../src/ingest/hugging-face-client.ts';
import { type IngestOutcome, ingestPapers } from '../../../src/ingest/ingest-papers.ts';
import { bundledPapers, seedStoreIfEmpty } from '../../../src/ingest/seed-store.ts';
import { readIndexedPapers } from '../../../src/retrieval/index-files.ts';
import { PaperIndex } from '../../../src/retrieval/paper-index.ts';
import { databasePath, openDatabase } from '../../../src/storage/database.ts';
import { PaperStore } from '../../../src/storage/paper-store.ts';
import { type CliCommand, type CliContext, EXIT } from '../context.ts';
import { createProgressBar } from '../progress.ts';

export const USAGE = `Usage:
  paperbot ingest hf --date YYYY-MM-DD
  paperbot ingest hf --since YYYY-MM-DD [--until YYYY-MM-DD]   (until defaults to today, UTC)
  paperbot ingest hf --latest [--limit N]
  paperbot ingest arxiv --query 'cat:cs.CL' [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--max N]
  paperbot ingest arxiv --ids 2401.01234,2402.00001
  paperbot ingest file papers.jsonl
Options: --sort trending|publishedAt (hf, default trending), --dry-run, --json
`;

const OPTIONS = {
  date: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  latest: { type: 'boolean', default: false },
  limit: { type: 'string' },
  sort: { type: 'string', default: 'trending' },
  query: { type: 'string' },
  ids: { type: 'string' },
  max: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof OPTIONS }>
>['values'];

class UsageError extends Error {}

/** Errors of the core that mean the command line asked for something impossible (exit 2). */
const USAGE_CODES = new Set(['INGEST_BAD_DATES', 'ARXIV_BAD_REQUEST']);

/** What the feeds returned, and for `arxiv --ids` the requested ids arXiv does not have. */
type Gathered = FeedReport & { notFound?: string[] };

const today = () => new Date().toISOString().slice(0, 10);

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new UsageError(`--${name} must be a positive integer, got "${value}".`);
  return number;
}

/** Fetches the papers a command line asks for. */
async function gather(
  source: string,
  target: string | undefined,
  values: Values,
  context: CliContext,
): Promise<Gathered> {
  const http = createHttpClient({ logger: context.logger, userAgent: 'paperbot-ingest/0.1' });
  const empty: FeedReport = { papers: [], fetched: 0, skipped: [], failed: [], notPublished: [] };
  if (source === 'file') {
    if (!target) throw new UsageError('ingest file needs a path: paperbot ingest file papers.jsonl');
    const { papers, problems, unknownKeys } = loadPapersJsonl(target);
    const warning = unknownKeysWarning(target, unknownKeys);
    if (warning) context.err(`${warning}\n`);
    const skipped = problems.map((problem) => ({
      item: `${target}:${problem.line}`,
      reason: problem.reason,
    }));
    return {
      ...empty,
      papers: papers.map((paper) => ({ ...paper, source: paper.source ?? 'file' })),
      skipped,
      fetched: papers.length + problems.length,
    };
  }
  if (source === 'hf') {
    const sort = values.sort;
    if (sort !== 'trending' && sort !== 'publishedAt')
      throw new UsageError(`--sort must be trending or publishedAt, got "${sort}".`);
    const client = new HuggingFaceClient({ baseUrl: context.config.hfApiUrl, http, logger: context.logger });
    if (values.latest) {
      const result = await client.fetchLatest({ limit: positiveInt(values.limit, 'limit') ?? 100, sort });
      return { ...empty, ...result };
    }
    const days = values.date
      ? daysBetween(values.date, values.date)
      : values.since
        ? daysBetween(values.since, values.until ?? today())
        : undefined;
    if (!days) throw new UsageError('ingest hf needs --date, --since or --latest.');
    const progress =
      days.length > 1 ? createProgressBar('Fetching days', context.err, context.interactive) : undefined;
    const report = await fetchHuggingFaceDays(client, days, { sort, onDay: progress?.update });
    progress?.finish();
    return report;
  }
  if (source === 'arxiv') {
    const client = new ArxivClient({ baseUrl: context.config.arxivApiUrl, http, logger: context.logger });
    const progress = createProgressBar('Fetching arXiv', context.err, context.interactive);
    const result = await client.fetch(
      {
        query: values.query,
        ids: values.ids?.split(','),
        since: values.since,
        until: values.until,
        max: positiveInt(values.max, 'max'),
      },
      progress.update,
    );
    progress.finish();
    if (values.ids && !values.query) {
      const found = new Set(result.papers.map((paper) => paper.id));
      const notFound = values.ids
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id && !found.has(normalizePaperId(id)));
      return { ...empty, ...result, notFound };
    }
    return { ...empty, ...result };
  }
  throw new UsageError(`Unknown source "${source ?? ''}": use hf, arxiv or file.`);
}

/** Opens the store and the index; builds the index from the (seeded) store when there is none. */
async function openTarget(context: CliContext) {
  const database = openDatabase(databasePath(context.config.indexDir));
  const store = new PaperStore(database);
  const embeddings = await createEmbeddings(context.config);
  let index: PaperIndex;
  try {
    index = await PaperIndex.open(context.config.indexDir, embeddings);
  } catch (error) {
    if (!hasCode(error, 'INDEX_MISSING')) {
      database.close();
      throw error;
    }
    seedStoreIfEmpty(store, { logger: context.logger });
    context.err(
      `No index in ${context.config.indexDir}: building one from the ${store.count()} stored papers.\n`,
    );
    const progress = createProgressBar('Embedding', context.err, context.interactive);
    index = await PaperIndex.build(context.config.indexDir, store.all(), embeddings, {
      onProgress: progress.update,
    });
    progress.finish();
  }
  return { database, store, index };
}

/**
 * For `--dry-run`: the stored papers to compare with, written nowhere. An existing database is
 * read; with none (or an empty one), papers are compared with what the first run would seed it
 * with: the papers of the index, else the bundled corpus.
 */
function planDryRun(papers: readonly Paper[], context: CliContext) {
  const path = databasePath(context.config.indexDir);
  const database = openDatabase(existsSync(path) ? path : ':memory:');
  try {
    const store = new PaperStore(database);
    let fallback: ((id: string) => Paper | undefined) | undefined;
    let storeSize = store.count();
    if (storeSize === 0) {
      const indexed = readIndexedPapers(context.config.indexDir);
      const seed = new Map(
        (indexed.length > 0 ? indexed : bundledPapers()).map((paper) => [paper.id, paper]),
      );
      fallback = (id) => seed.get(id);
      storeSize = seed.size;
    }
    return { change: store.plan(papers, fallback), storeSize };
  } finally {
    database.close();
  }
}

export function summarize(
  source: string,
  report: Gathered,
  outcome: IngestOutcome,
  dryRun: boolean,
  counts: { store: number; index: number },
) {
  return {
    source,
    dryRun,
    fetched: report.fetched,
    new: outcome.store.added.length,
    updated: outcome.store.updated.length,
    unchanged: outcome.store.unchanged,
    skipped: report.skipped,
    failed: report.failed,
    notPublished: report.notPublished,
    seeded: outcome.seeded,
    newIds: outcome.store.added,
    updatedIds: outcome.store.updated,
    reembedIds: outcome.store.contentChanged,
    ...(report.notFound ? { notFound: report.notFound } : {}),
    index: outcome.index ? { ...outcome.index, size: counts.index } : undefined,
    storeSize: counts.store,
  };
}

export function printSummary(summary: ReturnType<typeof summarize>, context: CliContext): void {
  const lines = [
    `${summary.dryRun ? 'Dry run (nothing written): ' : ''}${summary.source}: fetched ${summary.fetched}, new ${summary.new}, updated ${summary.updated}, unchanged ${summary.unchanged}, skipped ${summary.skipped.length}, failed requests ${summary.failed.length}`,
  ];
  if (summary.dryRun) {
    if (summary.newIds.length) lines.push(`  would add: ${summary.newIds.join(', ')}`);
    if (summary.updatedIds.length) lines.push(`  would update: ${summary.updatedIds.join(', ')}`);
    if (summary.reembedIds.length) lines.push(`  would re-embed: ${summary.reembedIds.join(', ')}`);
  }
  for (const item of summary.skipped) lines.push(`  skipped ${item.item}: ${item.reason}`);
  for (const failure of summary.failed) lines.push(`  failed ${failure.request}: ${failure.reason}`);
  for (const day of summary.notPublished) lines.push(`  ${day}: not published on Hugging Face yet`);
  if (summary.notFound?.length) lines.push(`  not found on arXiv: ${summary.notFound.join(', ')}`);
  if (summary.index) {
    const index = summary.index;
    lines.push(
      `  index: ${index.added} embedded, ${index.reembedded} re-embedded, ${index.refreshed} refreshed, ${index.removed} removed; ${index.size} papers (store ${summary.storeSize})`,
    );
  }
  context.out(`${lines.join('\n')}\n`);
}

/** `paperbot ingest hf|arxiv|file`: fetch, store (source of truth), then sync the index. */
export const ingestCommand: CliCommand = async (args, context) => {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    context.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [source, target] = positionals;
  let report: Gathered;
  try {
    report = await gather(source ?? '', target, values, context);
  } catch (error) {
    const usage =
      error instanceof UsageError || (error instanceof PaperbotError && USAGE_CODES.has(error.code));
    if (!usage) throw error;
    context.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  if (context.config.databaseUrl) {
    const { ingestPostgresCommand } = await import('./ingest-postgres.ts');
    return ingestPostgresCommand(context.config.databaseUrl, source ?? '', report, values, context);
  }
  if (values['dry-run']) {
    const { change, storeSize } = planDryRun(report.papers, context);
    const summary = summarize(source ?? '', report, { store: change, seeded: 0 }, true, {
      store: storeSize,
      index: 0,
    });
    if (values.json) context.out(`${JSON.stringify(summary)}\n`);
    else printSummary(summary, context);
    return report.failed.length > 0 ? EXIT.failure : EXIT.ok;
  }
  const { database, store, index } = await openTarget(context);
  try {
    const progress = createProgressBar('Embedding', context.err, context.interactive);
    const outcome = await ingestPapers(
      report.papers,
      { store, index, logger: context.logger },
      {
        onProgress: (done, total) => {
          if (total > 0) progress.update(done, total);
        },
      },
    );
    if (outcome.index && outcome.index.added + outcome.index.reembedded > 0) progress.finish();
    const summary = summarize(source ?? '', report, outcome, false, {
      store: store.count(),
      index: index.size,
    });
    if (values.json) context.out(`${JSON.stringify(summary)}\n`);
    else printSummary(summary, context);
    return report.failed.length > 0 ? EXIT.failure : EXIT.ok;
  } finally {
    database.close();
  }
};
