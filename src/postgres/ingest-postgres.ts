import type { Paper } from '../corpus/paper.ts';
import type { PaperEmbeddings } from '../embeddings/types.ts';
import type { IngestOutcome, IngestRunOptions } from '../ingest/ingest-papers.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { planUpsert } from '../storage/paper-repository.ts';
import { loadCorpusIntoPostgres } from './load-corpus.ts';
import type { PostgresPaperRepository } from './paper-repository.ts';
import type { PgVectorStore } from './pg-vector-store.ts';

/** Where `ingestIntoPostgres` writes. */
export interface PostgresIngestTarget {
  repository: PostgresPaperRepository;
  vectorStore: PgVectorStore;
  embeddings: PaperEmbeddings;
  logger?: Logger;
}

/**
 * Ingest with `DATABASE_URL`: upserts the papers (one transaction, keyed by arXiv id without
 * version), then embeds every stored paper whose passages are missing or stale, each batch in its
 * own transaction. Killed at any point, nothing is lost or duplicated: the upsert is all or
 * nothing, a paper's passages are replaced whole, and the next run embeds only what is left.
 * The store is not seeded: load the bundled corpus with `paperbot index build` first.
 */
export async function ingestIntoPostgres(
  papers: readonly Paper[],
  target: PostgresIngestTarget,
  options: IngestRunOptions = {},
): Promise<IngestOutcome> {
  const logger = target.logger ?? silentLogger();
  if (options.dryRun) {
    const stored = new Map<string, Paper>();
    for (const paper of papers) {
      const existing = await target.repository.get(paper.id);
      if (existing) stored.set(existing.id, existing);
    }
    return { store: planUpsert(papers, stored).change, seeded: 0 };
  }
  const result = await loadCorpusIntoPostgres(target, papers, options.onProgress, {
    batchSize: options.batchSize,
  });
  const change = result.papers;
  logger.info(
    { added: change.added.length, updated: change.updated.length, unchanged: change.unchanged },
    'papers stored',
  );
  const reembedded = result.embedded - result.firstEmbedded;
  return {
    store: change,
    seeded: 0,
    index: {
      added: result.firstEmbedded,
      reembedded,
      refreshed: change.updated.length - change.contentChanged.length,
      removed: 0,
    },
  };
}
