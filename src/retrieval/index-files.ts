import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Paper } from '../corpus/paper.ts';
import type { PaperEmbeddings } from '../embeddings/types.ts';
import { PaperbotError } from '../errors.ts';
import { fsyncPath, writeFileAtomic } from '../storage/atomic-file.ts';
import { MANIFEST_FILE } from '../storage/index-layout.ts';
import { chunkDocument, HnswVectorStore } from './hnsw-vector-store.ts';
import {
  corpusChecksum,
  INDEX_FORMAT_VERSION,
  type IndexManifest,
  REBUILD_COMMAND,
  readManifest,
} from './index-manifest.ts';

/** A paper as stored in the index, with the hash of the text that was embedded. */
export interface StoredPaper {
  paper: Paper;
  hash: string;
}

/** Contents of `documents-<generation>.json`. */
interface DocumentsFile {
  papers: StoredPaper[];
  /** [label, paperId, chunk, text] for every live vector. */
  chunks: [number, string, number, string][];
  labelCount: number;
}

/** Reads the generation the manifest names; throws INDEX_MISSING, INDEX_MISMATCH or INDEX_CORRUPT. */
export function readIndexFiles(
  dir: string,
  embeddings: PaperEmbeddings,
): { manifest: IndexManifest; store: HnswVectorStore; papers: StoredPaper[] } {
  const manifest = readManifest(dir, embeddings);
  let documents: DocumentsFile;
  let raw: ReturnType<typeof HnswVectorStore.readIndex>;
  try {
    documents = JSON.parse(readFileSync(join(dir, manifest.files.documents), 'utf8')) as DocumentsFile;
    raw = HnswVectorStore.readIndex(join(dir, manifest.files.vectors), manifest.dimensions);
  } catch (error) {
    throw new PaperbotError(
      'INDEX_CORRUPT',
      `Index in ${dir} cannot be read (${(error as Error).message}). Rebuild with \`${REBUILD_COMMAND}\`.`,
      { cause: error },
    );
  }
  if (raw.getCurrentCount() !== documents.labelCount) {
    throw new PaperbotError(
      'INDEX_CORRUPT',
      `Index in ${dir} holds ${raw.getCurrentCount()} vectors but its documents list ${documents.labelCount}. Rebuild with \`${REBUILD_COMMAND}\`.`,
    );
  }
  const store = new HnswVectorStore(embeddings, {
    dimensions: manifest.dimensions,
    parameters: manifest.hnsw,
    index: raw,
  });
  store.reserveLabels(documents.labelCount);
  for (const [label, paperId, chunk, text] of documents.chunks) {
    store.restore(label, chunkDocument(text, { paperId, chunk }));
  }
  return { manifest, store, papers: documents.papers };
}

/**
 * Writes a new generation (vectors, documents) and then the manifest naming it, each file flushed
 * and renamed into place, so a crash at any point leaves the previous generation in use. Deletes
 * generations older than `previous` (a reader may still hold that one).
 */
export function writeIndexFiles(
  dir: string,
  contents: {
    store: HnswVectorStore;
    papers: StoredPaper[];
    embeddings: PaperEmbeddings;
    builtAt: string;
    previous?: IndexManifest;
  },
): IndexManifest {
  const { store, papers, embeddings } = contents;
  const generation = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const vectorsFile = `vectors-${generation}.hnsw`;
  const documentsFile = `documents-${generation}.json`;
  const documents: DocumentsFile = {
    papers,
    chunks: [...store.entries()].map(([label, document]) => [
      label,
      document.metadata.paperId,
      document.metadata.chunk,
      document.pageContent,
    ]),
    labelCount: store.labelCount,
  };
  const temporaryVectors = join(dir, `.tmp-${vectorsFile}`);
  store.writeIndex(temporaryVectors);
  fsyncPath(temporaryVectors);
  renameSync(temporaryVectors, join(dir, vectorsFile));
  writeFileAtomic(join(dir, documentsFile), JSON.stringify(documents));
  const manifest: IndexManifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    embeddingModel: embeddings.modelId,
    dimensions: embeddings.dimensions,
    distance: 'cosine',
    paperCount: papers.length,
    vectorCount: store.size,
    corpusChecksum: corpusChecksum(papers.map((entry) => [entry.paper.id, entry.hash])),
    builtAt: contents.builtAt,
    updatedAt: new Date().toISOString(),
    hnsw: { ...store.parameters },
    files: {
      vectors: vectorsFile,
      documents: documentsFile,
      vectorsBytes: statSync(join(dir, vectorsFile)).size,
      documentsBytes: statSync(join(dir, documentsFile)).size,
    },
  };
  writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  removeOldGenerations(dir, [manifest, contents.previous]);
  return manifest;
}

function removeOldGenerations(dir: string, keep: (IndexManifest | undefined)[]): void {
  const kept = new Set(
    keep.flatMap((manifest) => (manifest ? [manifest.files.vectors, manifest.files.documents] : [])),
  );
  for (const name of readdirSync(dir)) {
    if (!/^(vectors-.+\.hnsw|documents-.+\.json)$/.test(name) || kept.has(name)) continue;
    rmSync(join(dir, name), { force: true });
  }
}
