import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BUNDLED_CORPUS_PATH } from '../../../src/corpus/bundled.ts';
import { loadPapersJsonl, unknownKeysWarning } from '../../../src/corpus/jsonl.ts';
import { createEmbeddings } from '../../../src/embeddings/create-embeddings.ts';
import { seedStoreIfEmpty } from '../../../src/ingest/seed-store.ts';
import { readIndexedPapers } from '../../../src/retrieval/index-files.ts';
import { PaperIndex } from '../../../src/retrieval/paper-index.ts';
import { databasePath, openDatabase } from '../../../src/storage/database.ts';
import { PaperStore } from '../../../src/storage/paper-store.ts';
import { type CliCommand, type CliContext, EXIT } from '../context.ts';
import { createProgressBar } from '../progress.ts';

export const USAGE = `Usage:
  paperbot index build [--corpus <papers.jsonl>] [--json]
  paperbot index verify [--json]
build   re-embeds every paper of the database (index/paperbot.db, seeded from the bundled corpus
        and the current index on first use) into a new index, replacing the old one atomically.
        --corpus first adds (or updates) that file's papers in the database.
verify  checks the manifest, the file sizes and the corpus checksum against every paper's title
        and abstract, and compares the index with the database.
`;

/** Where the papers of a build came from. */
interface BuildSources {
  /** Papers in the database before the corpus file was added (after seeding). */
  store: number;
  /** Papers the empty database was seeded with just now (bundled corpus and old index). */
  seeded: number;
  corpus?: {
    path: string;
    papers: number;
    new: number;
    updated: number;
    unchanged: number;
    skippedLines: number;
  };
}

/** Fills the database (seed, corpus file) and returns its papers and where they came from. */
function gatherPapers(store: PaperStore, corpusPath: string | undefined, context: CliContext) {
  const seeded = seedStoreIfEmpty(store, {
    indexed: readIndexedPapers(context.config.indexDir),
    logger: context.logger,
  });
  const sources: BuildSources = { store: store.count(), seeded };
  if (corpusPath) {
    const { papers, problems, unknownKeys } = loadPapersJsonl(corpusPath);
    for (const problem of problems)
      context.err(`${corpusPath}:${problem.line}: skipped: ${problem.reason}\n`);
    const warning = unknownKeysWarning(corpusPath, unknownKeys);
    if (warning) context.err(`${warning}\n`);
    const change = store.upsert(papers.map((paper) => ({ ...paper, source: paper.source ?? 'file' })));
    sources.corpus = {
      path: corpusPath,
      papers: papers.length,
      new: change.added.length,
      updated: change.updated.length,
      unchanged: change.unchanged,
      skippedLines: problems.length,
    };
  }
  return { papers: store.all(), sources };
}

function describeSources(sources: BuildSources): string {
  const seeded =
    sources.seeded > 0 ? ` (seeded now from the bundled corpus and the old index: ${sources.seeded})` : '';
  const parts = [`${sources.store} from the database${seeded}`];
  const corpus = sources.corpus;
  if (corpus) {
    parts.push(
      `${corpus.papers} from ${corpus.path} (${corpus.new} new, ${corpus.updated} updated, ${corpus.unchanged} already stored, ${corpus.skippedLines} lines skipped)`,
    );
  }
  return parts.join('; ');
}

async function build(corpusPath: string | undefined, json: boolean, context: CliContext): Promise<number> {
  const started = performance.now();
  if (corpusPath && !existsSync(corpusPath)) {
    context.err(`Corpus file ${corpusPath} does not exist; the index was not changed.\n`);
    return EXIT.failure;
  }
  const database = openDatabase(databasePath(context.config.indexDir));
  try {
    const { papers, sources } = gatherPapers(new PaperStore(database), corpusPath, context);
    if (papers.length === 0) {
      context.err(
        `No paper in the database or ${corpusPath ?? 'the bundled corpus'}; the index was not changed.\n`,
      );
      return EXIT.failure;
    }
    const embeddings = await createEmbeddings(context.config, { forBuild: true });
    const progress = createProgressBar('Embedding', context.err, context.interactive);
    const index = await PaperIndex.build(context.config.indexDir, papers, embeddings, {
      onProgress: progress.update,
    });
    progress.finish();
    const summary = {
      indexDir: context.config.indexDir,
      papers: index.size,
      vectors: index.vectorStore.size,
      skippedLines: sources.corpus?.skippedLines ?? 0,
      embeddingModel: embeddings.modelId,
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      sources,
    };
    if (json) context.out(`${JSON.stringify(summary)}\n`);
    else
      context.out(
        `Indexed ${summary.papers} papers (${summary.vectors} passages) with ${summary.embeddingModel} in ${summary.seconds}s -> ${summary.indexDir}\n` +
          `  papers: ${describeSources(sources)}\n`,
      );
    return EXIT.ok;
  } finally {
    database.close();
  }
}

async function verify(json: boolean, context: CliContext): Promise<number> {
  const dir = context.config.indexDir;
  const embeddings = await createEmbeddings(context.config);
  const index = await PaperIndex.open(dir, embeddings, { verify: 'full' });
  const manifest = index.manifest!;
  const path = databasePath(dir);
  let missingFromIndex: string[] = [];
  let notInDatabase: string[] = [];
  let databasePapers: number | undefined;
  // Only an existing database is compared: verifying never creates one.
  if (existsSync(path)) {
    const database = openDatabase(path);
    try {
      const stored = new PaperStore(database).contentHashes();
      databasePapers = stored.size;
      if (stored.size > 0) {
        missingFromIndex = [...stored.keys()].filter((id) => index.hashOf(id) === undefined);
        notInDatabase = index
          .papers()
          .map((paper) => paper.id)
          .filter((id) => !stored.has(id));
      }
    } finally {
      database.close();
    }
  }
  const report = {
    ok: true,
    indexDir: dir,
    papers: index.size,
    vectors: manifest.vectorCount,
    embeddingModel: manifest.embeddingModel,
    corpusChecksum: manifest.corpusChecksum,
    databasePapers,
    missingFromIndex,
    notInDatabase,
  };
  if (json) {
    context.out(`${JSON.stringify(report)}\n`);
    return EXIT.ok;
  }
  context.out(
    `Index in ${dir} is sound: ${report.papers} papers, ${report.vectors} passages, ${report.embeddingModel}; ` +
      `corpus checksum ${manifest.corpusChecksum.slice(0, 12)}... matches every title and abstract.\n`,
  );
  const sample = (ids: string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', ...' : ''}`;
  if (missingFromIndex.length > 0)
    context.out(
      `  ${missingFromIndex.length} papers of the database are not searchable (${sample(missingFromIndex)}): run \`npx paperbot index build\`.\n`,
    );
  if (notInDatabase.length > 0)
    context.out(
      `  ${notInDatabase.length} indexed papers are not in the database (${sample(notInDatabase)}); the next ingest removes them from the index.\n`,
    );
  return EXIT.ok;
}

/** `paperbot index build|verify`: rebuild the index from the database, or check it. */
export const indexCommand: CliCommand = async (args, context) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { corpus: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const [action] = positionals;
  if (positionals.length !== 1 || (action !== 'build' && action !== 'verify')) {
    context.err(
      `${positionals.length === 0 ? 'Missing' : 'Unknown'} index action${action ? ` "${action}"` : ''}: use build or verify.\n${USAGE}`,
    );
    return EXIT.usage;
  }
  if (action === 'verify') {
    if (values.corpus !== undefined) {
      context.err(`--corpus belongs to index build.\n${USAGE}`);
      return EXIT.usage;
    }
    return verify(values.json, context);
  }
  if (context.config.databaseUrl) {
    // With DATABASE_URL the papers table in Postgres is the store: the bundled corpus (or --corpus)
    // is upserted into it, then every paper without current vectors is embedded.
    const corpusPath = values.corpus ?? BUNDLED_CORPUS_PATH;
    const { papers, problems } = loadPapersJsonl(corpusPath);
    for (const problem of problems)
      context.err(`${corpusPath}:${problem.line}: skipped: ${problem.reason}\n`);
    if (papers.length === 0) {
      context.err(`No usable paper in ${corpusPath}; nothing was changed.\n`);
      return EXIT.failure;
    }
    const { buildPostgresIndex } = await import('./index-build-postgres.ts');
    return buildPostgresIndex(context.config.databaseUrl, papers, problems.length, values.json, context);
  }
  return build(values.corpus, values.json, context);
};
