import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import type { Paper } from '../corpus/paper.ts';
import type { PaperEmbeddings } from '../embeddings/types.ts';
import { PaperbotError } from '../errors.ts';
import { type Feedback, SqliteFeedbackRepository } from '../feedback/feedback-repository.ts';
import { type ChunkDocument, chunkDocument } from '../retrieval/hnsw-vector-store.ts';
import { type IndexManifest, REBUILD_COMMAND } from '../retrieval/index-manifest.ts';
import { PaperIndex } from '../retrieval/paper-index.ts';
import { contentHash } from '../storage/content-hash.ts';
import { databasePath, openDatabase } from '../storage/database.ts';
import { MANIFEST_FILE } from '../storage/index-layout.ts';
import { PaperStore } from '../storage/paper-store.ts';
import { SqliteSubscriptionRepository } from '../trending/sqlite-subscriptions.ts';
import type { Subscription } from '../trending/subscriptions.ts';
import type { PostgresPool } from './connection.ts';
import { PostgresFeedbackRepository } from './feedback-repository.ts';
import { PostgresPaperRepository } from './paper-repository.ts';
import { PgVectorStore } from './pg-vector-store.ts';
import { PostgresSubscriptionRepository } from './subscription-repository.ts';

/** Papers whose passages are written per transaction. */
const COPY_BATCH = 64;

/** What `paperbot db copy` moved. */
export interface CopyReport {
  /** Papers written to PostgreSQL (from the SQLite database and the index). */
  papers: number;
  /** Of those, papers whose vectors were copied from the hnswlib index. */
  papersWithVectors: number;
  /** Papers in the SQLite database but not in the index: stored without vectors (embed them with `index build`). */
  papersWithoutVectors: string[];
  /** Passage vectors copied. */
  passages: number;
  embeddingModel: string;
  dimensions: number;
  /** `/subscribe` subscriptions copied (added or replaced by destination id). */
  subscriptions: number;
  /** Feedback ratings copied (a rating already in PostgreSQL is not added twice). */
  feedback: number;
}

/**
 * Embeddings that only name the model: copying moves stored vectors and must never embed, so
 * any embedding call is a bug and throws.
 */
class StoredVectorsOnly extends Embeddings {
  constructor(
    readonly modelId: string,
    readonly dimensions: number,
  ) {
    super({});
  }

  async embedDocuments(): Promise<number[][]> {
    throw new Error('db copy moves stored vectors and never embeds');
  }

  async embedQuery(): Promise<number[]> {
    throw new Error('db copy moves stored vectors and never embeds');
  }
}

/**
 * Copies an embedded deployment (papers, `/subscribe` subscriptions and feedback from
 * `paperbot.db`, passage vectors read back from the hnswlib index, all under `indexDir`) into
 * PostgreSQL without re-embedding. Idempotent: papers
 * are upserted and each paper's passages replaced, so a rerun or a resumed run writes the same rows.
 */
export async function copyEmbeddedToPostgres(
  indexDir: string,
  pool: PostgresPool,
  onProgress?: (done: number, total: number) => void,
): Promise<CopyReport> {
  const manifestPath = join(indexDir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) {
    throw new PaperbotError(
      'INDEX_MISSING',
      `No index to copy in ${indexDir} (${MANIFEST_FILE} not found). Set PAPERBOT_INDEX_DIR to the deployment's index directory, or build one with \`${REBUILD_COMMAND}\`.`,
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as IndexManifest;
  const embeddings = new StoredVectorsOnly(manifest.embeddingModel, manifest.dimensions) as PaperEmbeddings;
  const index = await PaperIndex.open(indexDir, embeddings);
  const papers = new Map<string, Paper>(index.papers().map((paper) => [paper.id, paper]));
  let subscriptions: Subscription[] = [];
  let feedback: Feedback[] = [];
  if (existsSync(databasePath(indexDir))) {
    const database = openDatabase(databasePath(indexDir));
    try {
      for (const paper of new PaperStore(database).all()) papers.set(paper.id, paper);
      subscriptions = await new SqliteSubscriptionRepository(database).list();
      feedback = await new SqliteFeedbackRepository(database).list();
    } finally {
      database.close();
    }
  }
  const repository = new PostgresPaperRepository(pool);
  await repository.upsert([...papers.values()]);
  const vectorStore = await PgVectorStore.open(pool, embeddings);
  const passagesByPaper = new Map<string, { label: number; document: ChunkDocument }[]>();
  for (const [label, document] of index.vectorStore.entries()) {
    const list = passagesByPaper.get(document.metadata.paperId) ?? [];
    list.push({ label, document });
    passagesByPaper.set(document.metadata.paperId, list);
  }
  const paperIds = [...passagesByPaper.keys()].filter((id) => papers.has(id));
  let passages = 0;
  onProgress?.(0, paperIds.length);
  for (let start = 0; start < paperIds.length; start += COPY_BATCH) {
    const batch = paperIds.slice(start, start + COPY_BATCH);
    const vectors: number[][] = [];
    const documents: ChunkDocument[] = [];
    for (const id of batch) {
      // The hash the vectors were embedded from (the index's), so a later build re-embeds a changed paper.
      const hash = index.hashOf(id) ?? contentHash(papers.get(id) as Paper);
      for (const { label, document } of passagesByPaper.get(id) ?? []) {
        vectors.push(index.vectorStore.rawIndex.getPoint(label));
        documents.push(
          chunkDocument(document.pageContent, {
            ...document.metadata,
            contentHash: hash,
          } as ChunkDocument['metadata']),
        );
      }
    }
    await vectorStore.replacePapers(batch, vectors, documents);
    passages += vectors.length;
    onProgress?.(Math.min(start + batch.length, paperIds.length), paperIds.length);
  }
  const copiedFeedback = await copyFeedback(feedback, new PostgresFeedbackRepository(pool));
  const subscriptionTarget = new PostgresSubscriptionRepository(pool);
  for (const subscription of subscriptions) {
    await subscriptionTarget.save(subscription, savedAt(subscription.createdAt));
  }
  return {
    papers: papers.size,
    papersWithVectors: paperIds.length,
    papersWithoutVectors: [...papers.keys()].filter((id) => !passagesByPaper.has(id)).sort(),
    passages,
    embeddingModel: manifest.embeddingModel,
    dimensions: manifest.dimensions,
    subscriptions: subscriptions.length,
    feedback: copiedFeedback,
  };
}

/** The stored time of a row, or now when it has none. */
function savedAt(iso: string | undefined): Date {
  const time = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(time) ? new Date() : new Date(time);
}

/**
 * Records the ratings that PostgreSQL does not hold yet, with their original times, so a rerun
 * adds nothing (ratings of a message are replaced anyway; the others are matched on all fields).
 */
async function copyFeedback(
  ratings: readonly Feedback[],
  target: PostgresFeedbackRepository,
): Promise<number> {
  const key = (rating: Feedback) =>
    JSON.stringify([
      rating.platform,
      rating.userId,
      rating.messageRef ?? null,
      rating.question,
      rating.createdAt,
    ]);
  const present = new Set((await target.list()).map(key));
  let copied = 0;
  for (const rating of ratings) {
    if (present.has(key(rating))) continue;
    await target.record(rating, savedAt(rating.createdAt));
    copied += 1;
  }
  return copied;
}
