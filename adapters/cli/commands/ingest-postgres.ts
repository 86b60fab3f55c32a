import { createEmbeddings } from '../../../src/embeddings/create-embeddings.ts';
import type { FeedReport } from '../../../src/ingest/feed-fetch.ts';
import { openPostgres } from '../../../src/postgres/connection.ts';
import { ingestIntoPostgres } from '../../../src/postgres/ingest-postgres.ts';
import { PostgresPaperRepository } from '../../../src/postgres/paper-repository.ts';
import { PgVectorStore } from '../../../src/postgres/pg-vector-store.ts';
import { type CliContext, EXIT } from '../context.ts';
import { createProgressBar } from '../progress.ts';
import { printSummary, summarize } from './ingest.ts';

/** `paperbot ingest` with `DATABASE_URL` set: the fetched papers go to PostgreSQL, not the index directory. */
export async function ingestPostgresCommand(
  databaseUrl: string,
  source: string,
  report: FeedReport,
  values: { 'dry-run': boolean; json: boolean },
  context: CliContext,
): Promise<number> {
  const embeddings = await createEmbeddings(context.config);
  const pool = await openPostgres(databaseUrl);
  try {
    const repository = new PostgresPaperRepository(pool);
    const vectorStore = await PgVectorStore.open(pool, embeddings);
    const progress = createProgressBar('Embedding', context.err, context.interactive);
    const outcome = await ingestIntoPostgres(
      report.papers,
      { repository, vectorStore, embeddings, logger: context.logger },
      {
        dryRun: values['dry-run'],
        onProgress: (done, total) => {
          if (total > 0) progress.update(done, total);
        },
      },
    );
    if (outcome.index && outcome.index.added + outcome.index.reembedded > 0) progress.finish();
    const size = await repository.count();
    const summary = summarize(source, report, outcome, values['dry-run'], { store: size, index: size });
    if (values.json) context.out(`${JSON.stringify(summary)}\n`);
    else printSummary(summary, context);
    return report.failed.length > 0 ? EXIT.failure : EXIT.ok;
  } finally {
    await pool.end();
  }
}
