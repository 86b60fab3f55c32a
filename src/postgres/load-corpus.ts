import type { Paper } from '../corpus/paper.ts';
import type { PaperEmbeddings } from '../embeddings/types.ts';
import type { ChunkDocument } from '../retrieval/hnsw-vector-store.ts';
import { chunkDocument } from '../retrieval/hnsw-vector-store.ts';
import { type ProgressCallback, paperPassages } from '../retrieval/paper-index.ts';
import { contentHash } from '../storage/content-hash.ts';
import type { StoreChange } from '../storage/paper-store.ts';
import type { PostgresPaperRepository } from './paper-repository.ts';
import type { PgVectorStore } from './pg-vector-store.ts';
import { withWriterLock } from './writer-lock.ts';

/** Papers embedded and written per step by default (one transaction and progress update each). */
const PAPER_BATCH = 16;

export interface LoadResult {
  papers: StoreChange;
  /** Papers whose passages were (re-)embedded. */
  embedded: number;
  /** Of `embedded`, papers that had no passages before. */
  firstEmbedded: number;
  /** Stored papers whose passages already matched their title and abstract. */
  upToDate: number;
  /** Passages in the store afterwards. */
  passages: number;
}

/**
 * Loads `papers` into PostgreSQL: upserts them, then embeds every stored paper (these and any
 * ingested before) whose passages are missing or were embedded from another title/abstract. Idempotent and resumable: each batch
 * replaces a paper's passages in one transaction, so a rerun after a crash embeds only what is left.
 * Runs under the database's writer lock (`withWriterLock`): concurrent builds and ingests take turns.
 */
export async function loadCorpusIntoPostgres(
  target: { repository: PostgresPaperRepository; vectorStore: PgVectorStore; embeddings: PaperEmbeddings },
  papers: readonly Paper[],
  onProgress?: ProgressCallback,
  options: { batchSize?: number } = {},
): Promise<LoadResult> {
  return withWriterLock(target.repository.pool, () => loadLocked(target, papers, onProgress, options));
}

async function loadLocked(
  target: { repository: PostgresPaperRepository; vectorStore: PgVectorStore; embeddings: PaperEmbeddings },
  papers: readonly Paper[],
  onProgress: ProgressCallback | undefined,
  options: { batchSize?: number },
): Promise<LoadResult> {
  const batchSize = Math.max(1, options.batchSize ?? PAPER_BATCH);
  const change = await target.repository.upsert(papers);
  const embedded = await target.vectorStore.embeddedHashes();
  const stored = await target.repository.all();
  const stale = stored.filter((paper) => embedded.get(paper.id) !== contentHash(paper));
  onProgress?.(0, stale.length);
  for (let start = 0; start < stale.length; start += batchSize) {
    const batch = stale.slice(start, start + batchSize);
    const documents: ChunkDocument[] = [];
    const hashes: string[] = [];
    for (const paper of batch) {
      const hash = contentHash(paper);
      paperPassages(paper).forEach((text, chunk) => {
        documents.push(chunkDocument(text, { paperId: paper.id, chunk }));
        hashes.push(hash);
      });
    }
    const vectors = await target.embeddings.embedDocuments(documents.map((document) => document.pageContent));
    await target.vectorStore.replacePapers(
      batch.map((paper) => paper.id),
      vectors,
      documents.map((document, position) => ({
        ...document,
        metadata: { ...document.metadata, contentHash: hashes[position] },
      })),
    );
    onProgress?.(Math.min(start + batch.length, stale.length), stale.length);
  }
  return {
    papers: change,
    embedded: stale.length,
    firstEmbedded: stale.filter((paper) => !embedded.has(paper.id)).length,
    upToDate: stored.length - stale.length,
    passages: await target.vectorStore.count(),
  };
}
