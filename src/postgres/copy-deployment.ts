import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import type { Paper } from '../corpus/paper.ts';
import type { PaperEmbeddings } from '../embeddings/types.ts';
import { PaperbotError } from '../errors.ts';
import { type ChunkDocument, chunkDocument } from '../retrieval/hnsw-vector-store.ts';
import { type IndexManifest, REBUILD_COMMAND } from '../retrieval/index-manifest.ts';
import { PaperIndex } from '../retrieval/paper-index.ts';
import { contentHash } from '../storage/content-hash.ts';
import { databasePath, openDatabase } from '../storage/database.ts';
import { MANIFEST_FILE } from '../storage/index-layout.ts';
import { PaperStore } from '../storage/paper-store.ts';
import type { PostgresPool } from './connection.ts';
import { PostgresPaperRepository } from './paper-repository.ts';
import { PgVectorStore } from './pg-vector-store.ts';

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
 * Copies an embedded deployment (papers from `paperbot.db`, passage vectors read back from the
 * hnswlib index, both under `indexDir`) into PostgreSQL without re-embedding. Idempotent: papers
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
  if (existsSync(databasePath(indexDir))) {
    const database = openDatabase(databasePath(indexDir));
    try {
      for (const paper of new PaperStore(database).all()) papers.set(paper.id, paper);
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
  return {
    papers: papers.size,
    papersWithVectors: paperIds.length,
    papersWithoutVectors: [...papers.keys()].filter((id) => !passagesByPaper.has(id)).sort(),
    passages,
    embeddingModel: manifest.embeddingModel,
    dimensions: manifest.dimensions,
  };
}
