import type { Paper } from '../../../src/corpus/paper.ts';
import { createEmbeddings } from '../../../src/embeddings/create-embeddings.ts';
import { openPostgres, redactUrl } from '../../../src/postgres/connection.ts';
import { loadCorpusIntoPostgres } from '../../../src/postgres/load-corpus.ts';
import { PostgresPaperRepository } from '../../../src/postgres/paper-repository.ts';
import { PgVectorStore } from '../../../src/postgres/pg-vector-store.ts';
import { type CliContext, EXIT } from '../context.ts';
import { createProgressBar } from '../progress.ts';

/**
 * `paperbot index build` with `DATABASE_URL` set: upserts the corpus file's papers into
 * PostgreSQL and embeds the papers whose passages are missing or stale. Idempotent: a second run
 * embeds nothing; an interrupted run is finished by the next.
 */
export async function buildPostgresIndex(
  databaseUrl: string,
  papers: Paper[],
  skippedLines: number,
  json: boolean,
  context: CliContext,
): Promise<number> {
  const embeddings = await createEmbeddings(context.config, { forBuild: true });
  const pool = await openPostgres(databaseUrl);
  try {
    const started = performance.now();
    const repository = new PostgresPaperRepository(pool);
    const vectorStore = await PgVectorStore.open(pool, embeddings);
    const progress = createProgressBar('Embedding', context.err, context.interactive);
    const result = await loadCorpusIntoPostgres(
      { repository, vectorStore, embeddings },
      papers,
      progress.update,
    );
    progress.finish();
    const summary = {
      database: redactUrl(databaseUrl),
      papers: await repository.count(),
      added: result.papers.added.length,
      updated: result.papers.updated.length,
      embedded: result.embedded,
      upToDate: result.upToDate,
      vectors: result.passages,
      skippedLines,
      embeddingModel: embeddings.modelId,
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    };
    if (json) context.out(`${JSON.stringify(summary)}\n`);
    else
      context.out(
        `Loaded ${summary.papers} papers into PostgreSQL (${summary.added} new, ${summary.updated} updated; ${summary.embedded} embedded, ${summary.upToDate} already up to date; ${summary.vectors} passages) with ${summary.embeddingModel} in ${summary.seconds}s -> ${summary.database}\n`,
      );
    return EXIT.ok;
  } finally {
    await pool.end();
  }
}
