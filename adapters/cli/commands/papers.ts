import { parseArgs } from 'node:util';
import { paperByline, paperReference } from '../../../src/corpus/citation.ts';
import { EXPORT_FORMATS, type ExportFormat, exportPapers, paperSource } from '../../../src/corpus/export.ts';
import { arxivIdOf, type Paper, paperLinks } from '../../../src/corpus/paper.ts';
import { createEmbeddings } from '../../../src/embeddings/create-embeddings.ts';
import { hasCode } from '../../../src/errors.ts';
import { seedStoreIfEmpty } from '../../../src/ingest/seed-store.ts';
import {
  type DateRange,
  inDateRange,
  paperDate,
  parseDateRange,
} from '../../../src/retrieval/date-filter.ts';
import { PaperIndex } from '../../../src/retrieval/paper-index.ts';
import { databasePath, openDatabase } from '../../../src/storage/database.ts';
import { PaperStore } from '../../../src/storage/paper-store.ts';
import { type CliCommand, type CliContext, EXIT } from '../context.ts';

export const USAGE = `Usage:
  paperbot papers list [--since DATE] [--until DATE] [--source hf|arxiv|seed|file] [--json]
  paperbot papers show ID [--json]
  paperbot papers stats [--json]
  paperbot papers remove ID [ID...]
  paperbot papers export --format jsonl|csv|bibtex
DATE is a year (2024), a month (2024-06) or a day (2024-06-15).
`;

const SOURCES = ['hf', 'arxiv', 'seed', 'file'];

const OPTIONS = {
  since: { type: 'string' },
  until: { type: 'string' },
  source: { type: 'string' },
  format: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

class UsageError extends Error {}

/** The store and index of `PAPERBOT_INDEX_DIR`; the store falls back to the index's papers until an ingest seeds it. */
async function openCorpus(context: CliContext) {
  const database = openDatabase(databasePath(context.config.indexDir));
  const store = new PaperStore(database);
  let index: PaperIndex | undefined;
  try {
    index = await PaperIndex.open(context.config.indexDir, await createEmbeddings(context.config));
  } catch (error) {
    if (!hasCode(error, 'INDEX_MISSING')) {
      database.close();
      throw error;
    }
  }
  const papers = (): Paper[] => (store.count() > 0 ? store.all() : (index?.papers() ?? []));
  return { database, store, index, papers };
}

/** Newest first by date; papers without a date last, by id. */
function byDate(left: Paper, right: Paper): number {
  const a = paperDate(left) ?? '';
  const b = paperDate(right) ?? '';
  return b.localeCompare(a) || left.id.localeCompare(right.id);
}

function listRow(paper: Paper) {
  return { paperId: paper.id, title: paper.title, source: paperSource(paper), ...paperReference(paper) };
}

function list(papers: Paper[], range: DateRange | undefined, source: string | undefined) {
  const kept = papers
    .filter((paper) => !source || paperSource(paper) === source)
    .filter((paper) => !range || inDateRange(paper, range))
    .sort(byDate);
  return {
    json: kept.map(listRow),
    text: kept.length
      ? `${kept
          .map((paper) => {
            const byline = paperByline(paper);
            const date = (paperDate(paper) ?? '').padEnd(10);
            return `${paper.id.padEnd(12)} ${date}  ${paper.title}${byline ? ` (${byline})` : ''}`;
          })
          .join('\n')}\n${kept.length} paper${kept.length === 1 ? '' : 's'}\n`
      : `No papers${range || source ? ' match the filters' : ''}.\n`,
  };
}

function showText(paper: Paper): string {
  const links = paperLinks(paper);
  const lines = [
    paper.title,
    `id: ${paper.id}${arxivIdOf(paper) && arxivIdOf(paper) !== paper.id ? ` (arXiv ${arxivIdOf(paper)})` : ''}`,
    paper.authors?.length ? `authors: ${paper.authors.join(', ')}` : '',
    paper.publishedAt ? `published: ${paper.publishedAt}` : '',
    paper.dailyPapersAt ? `Daily Papers: ${paper.dailyPapersAt.slice(0, 10)}` : '',
    `source: ${paperSource(paper)}`,
    ...Object.entries(links).map(([name, url]) => `${name}: ${url}`),
    '',
    paper.abstract,
  ];
  return `${lines.filter((line, index) => line !== '' || index === lines.length - 2).join('\n')}\n`;
}

function stats(papers: Paper[], store: PaperStore, index: PaperIndex | undefined) {
  const bySource: Record<string, number> = {};
  const byMonth: Record<string, number> = {};
  for (const paper of papers) {
    const source = paperSource(paper);
    bySource[source] = (bySource[source] ?? 0) + 1;
    const month = paperDate(paper)?.slice(0, 7) ?? 'undated';
    byMonth[month] = (byMonth[month] ?? 0) + 1;
  }
  const months = Object.fromEntries(Object.entries(byMonth).sort(([a], [b]) => a.localeCompare(b)));
  const manifest = index?.manifest;
  return {
    papers: papers.length,
    bySource,
    byMonth: months,
    newestDay: store.newestDay() ?? null,
    newestPublished: papers.map(paperDate).filter(Boolean).sort().at(-1) ?? null,
    index: manifest
      ? {
          embeddingModel: manifest.embeddingModel,
          dimensions: manifest.dimensions,
          papers: index!.size,
          vectors: index!.vectorStore.size,
          bytes: manifest.files.vectorsBytes + manifest.files.documentsBytes,
          updatedAt: manifest.updatedAt,
        }
      : null,
  };
}

function statsText(summary: ReturnType<typeof stats>): string {
  const counts = (record: Record<string, number>) =>
    Object.entries(record)
      .map(([key, count]) => `  ${key.padEnd(10)} ${count}`)
      .join('\n');
  const index = summary.index;
  return [
    `${summary.papers} papers`,
    'by source:',
    counts(summary.bySource),
    'by month published (or Daily-Papers day):',
    counts(summary.byMonth),
    `newest Daily-Papers day: ${summary.newestDay ?? 'none'}`,
    `newest publication date: ${summary.newestPublished ?? 'none'}`,
    index
      ? `index: ${index.papers} papers, ${index.vectors} vectors, ${index.embeddingModel} (${index.dimensions}-d), ${(index.bytes / 1_048_576).toFixed(1)} MiB`
      : 'index: none (run paperbot index build)',
    '',
  ].join('\n');
}

async function run(positionals: string[], values: ReturnType<typeof parse>['values'], context: CliContext) {
  const [action, ...ids] = positionals;
  if (!action || !['list', 'show', 'stats', 'remove', 'export'].includes(action))
    throw new UsageError(action ? `Unknown papers action "${action}".` : 'Say what to do with the papers.');
  if (values.source !== undefined && !SOURCES.includes(values.source))
    throw new UsageError(`--source must be one of ${SOURCES.join(', ')}, got "${values.source}".`);
  const format = values.format as ExportFormat | undefined;
  if (action === 'export' && !EXPORT_FORMATS.includes(format as ExportFormat))
    throw new UsageError(
      `--format must be one of ${EXPORT_FORMATS.join(', ')}, got "${values.format ?? ''}".`,
    );
  if ((action === 'show' || action === 'remove') && ids.length === 0)
    throw new UsageError(`papers ${action} needs a paper id, e.g. paperbot papers ${action} seed-001.`);
  const range = parseDateRange(values.since, values.until);
  const corpus = await openCorpus(context);
  try {
    const papers = corpus.papers();
    if (action === 'list') {
      const result = list(papers, range, values.source);
      context.out(values.json ? `${JSON.stringify(result.json)}\n` : result.text);
    } else if (action === 'show') {
      const paper = corpus.store.get(ids[0]!) ?? corpus.index?.get(ids[0]!);
      if (!paper) {
        context.err(`No paper "${ids[0]}" in the corpus. List the ids with: paperbot papers list\n`);
        return EXIT.failure;
      }
      context.out(
        values.json ? `${JSON.stringify({ ...paper, ...paperReference(paper) })}\n` : showText(paper),
      );
    } else if (action === 'stats') {
      const summary = stats(papers, corpus.store, corpus.index);
      context.out(values.json ? `${JSON.stringify(summary)}\n` : statsText(summary));
    } else if (action === 'export') {
      context.out(
        exportPapers(
          [...papers].sort((a, b) => a.id.localeCompare(b.id)),
          format!,
        ),
      );
    } else {
      return await remove(ids, corpus, context);
    }
    return EXIT.ok;
  } finally {
    corpus.database.close();
  }
}

/** Deletes from the store (the source of truth) first, then from the index. */
async function remove(ids: string[], corpus: Awaited<ReturnType<typeof openCorpus>>, context: CliContext) {
  const missing = ids.filter((id) => !corpus.store.get(id) && !corpus.index?.get(id));
  if (missing.length > 0) {
    context.err(
      `No paper ${missing.map((id) => `"${id}"`).join(', ')} in the corpus; nothing was removed.\n`,
    );
    return EXIT.failure;
  }
  // An empty store is seeded first, so the removed paper stays removed (seeding happens only once).
  seedStoreIfEmpty(corpus.store, { indexed: corpus.index?.papers() ?? [], logger: context.logger });
  const fromStore = corpus.store.remove(ids);
  const fromIndex = corpus.index ? await corpus.index.remove(ids) : 0;
  context.out(
    `Removed ${ids.join(', ')}: ${fromStore} from the store, ${fromIndex} from the index (${corpus.index?.size ?? 0} papers left).\n`,
  );
  return EXIT.ok;
}

function parse(args: string[]) {
  return parseArgs({ args, allowPositionals: true, options: OPTIONS });
}

/** `paperbot papers list|show|stats|remove|export`: see and manage what is in the corpus. */
export const papersCommand: CliCommand = async (args, context) => {
  try {
    const { values, positionals } = parse(args);
    return await run(positionals, values, context);
  } catch (error) {
    if (
      error instanceof UsageError ||
      hasCode(error, 'DATE_INVALID') ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      context.err(`${(error as Error).message}\n${USAGE}`);
      return EXIT.usage;
    }
    throw error;
  }
};
