import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Paper } from '../corpus/paper.ts';
import type { PaperEmbeddings } from '../embeddings/types.ts';
import { PaperbotError } from '../errors.ts';
import { fsyncPath, writeFileAtomic } from '../storage/atomic-file.ts';
import { contentHash } from '../storage/content-hash.ts';
import { MANIFEST_FILE } from '../storage/index-layout.ts';
import { chunkDocument, HnswVectorStore } from './hnsw-vector-store.ts';
import {
  corpusChecksum,
  INDEX_FORMAT_VERSION,
  type IndexManifest,
  parseManifest,
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

/**
 * Up to this many papers, every load recomputes each paper's content hash and the corpus checksum
 * the manifest stores (about 10 ms per thousand papers); above it a load checks the checksum of
 * the stored hashes only, and `paperbot index verify` does the full check.
 */
export const FULL_VERIFY_MAX_PAPERS = 20_000;

/** How thoroughly `readIndexFiles` checks the documents against the manifest. */
export type VerifyLevel = 'auto' | 'full';

function corrupt(dir: string, what: string): PaperbotError {
  return new PaperbotError(
    'INDEX_CORRUPT',
    `Index in ${dir} does not match its manifest: ${what}. Rebuild with \`${REBUILD_COMMAND}\` (papers come from the database, nothing is lost).`,
  );
}

/** Checks the documents file against the counts and the corpus checksum the manifest stores. */
function verifyDocuments(
  dir: string,
  manifest: IndexManifest,
  documents: DocumentsFile,
  level: VerifyLevel,
): void {
  if (
    !documents ||
    !Array.isArray(documents.papers) ||
    !Array.isArray(documents.chunks) ||
    typeof documents.labelCount !== 'number'
  ) {
    throw corrupt(dir, `${manifest.files.documents} lacks its papers, chunks or label count`);
  }
  if (documents.papers.length !== manifest.paperCount) {
    throw corrupt(
      dir,
      `${documents.papers.length} papers in ${manifest.files.documents}, ${manifest.paperCount} in the manifest`,
    );
  }
  if (documents.chunks.length !== manifest.vectorCount) {
    throw corrupt(
      dir,
      `${documents.chunks.length} passages in ${manifest.files.documents}, ${manifest.vectorCount} vectors in the manifest`,
    );
  }
  const full = level === 'full' || documents.papers.length <= FULL_VERIFY_MAX_PAPERS;
  const pairs: [string, string][] = [];
  for (const entry of documents.papers) {
    const id = entry?.paper?.id;
    if (typeof id !== 'string' || typeof entry.hash !== 'string') {
      throw corrupt(dir, `a paper in ${manifest.files.documents} has no id or hash`);
    }
    if (full && contentHash(entry.paper) !== entry.hash) {
      throw corrupt(dir, `the title or abstract of paper ${id} was changed after it was embedded`);
    }
    pairs.push([id, entry.hash]);
  }
  const checksum = corpusChecksum(pairs);
  if (checksum !== manifest.corpusChecksum) {
    throw corrupt(
      dir,
      `corpus checksum of ${manifest.files.documents} is ${checksum.slice(0, 12)}..., the manifest says ${manifest.corpusChecksum.slice(0, 12)}...`,
    );
  }
}

/**
 * Reads the generation the manifest names; throws INDEX_MISSING, INDEX_MISMATCH or INDEX_CORRUPT.
 * The documents are checked against the manifest's counts and corpus checksum (fully, re-hashing
 * every paper, for indexes up to FULL_VERIFY_MAX_PAPERS papers or when `verify` is `full`).
 */
export function readIndexFiles(
  dir: string,
  embeddings: PaperEmbeddings,
  verify: VerifyLevel = 'auto',
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
  verifyDocuments(dir, manifest, documents, verify);
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
 * The papers of the index in `dir`, whatever model built it, or none when there is no readable
 * index (used to adopt them into an empty database, so a rebuild never drops them).
 */
export function readIndexedPapers(dir: string): Paper[] {
  try {
    const path = join(dir, MANIFEST_FILE);
    const manifest = parseManifest(JSON.parse(readFileSync(path, 'utf8')), path);
    const documents = JSON.parse(readFileSync(join(dir, manifest.files.documents), 'utf8')) as DocumentsFile;
    return documents.papers.map((entry) => entry.paper);
  } catch {
    return [];
  }
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
  let manifest: IndexManifest;
  try {
    indexWrites.writeVectors(store, temporaryVectors);
    fsyncPath(temporaryVectors);
    renameSync(temporaryVectors, join(dir, vectorsFile));
    indexWrites.writeFileAtomic(join(dir, documentsFile), JSON.stringify(documents));
    manifest = {
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
    indexWrites.writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  } catch (error) {
    // The manifest still names the previous generation: remove every file of this one, so a
    // full disk is not left fuller by an orphan, then say what happened and what to do.
    for (const name of [`.tmp-${vectorsFile}`, vectorsFile, documentsFile])
      rmSync(join(dir, name), { force: true });
    throw writeFailure(dir, error);
  }
  removeOldGenerations(dir, [manifest, contents.previous]);
  return manifest;
}

/**
 * The file operations of a save, as one object so a test can make one of them fail (a full disk)
 * without filling a disk.
 */
export const indexWrites = {
  writeFileAtomic,
  writeVectors(store: HnswVectorStore, path: string): void {
    store.writeIndex(path);
  },
};

/** INDEX_WRITE_FAILED naming the directory, the system error and what to do about it. */
function writeFailure(dir: string, error: unknown): PaperbotError {
  const code = (error as { code?: unknown }).code;
  const reason = (error as Error).message ?? String(error);
  const fix =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? `The disk holding ${dir} is full. Free some space there (the index needs about twice its current size while saving) ` +
        'or point PAPERBOT_INDEX_DIR at a directory on another disk, then run the command again.'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? `paperbot may not write in ${dir}. Make it writable, or point PAPERBOT_INDEX_DIR elsewhere, then run the command again.`
        : 'Run the command again; if it fails the same way, check the disk.';
  return new PaperbotError(
    'INDEX_WRITE_FAILED',
    `Could not save the index in ${dir}: ${reason}. The previous index is unchanged and the partial files were removed. ${fix}`,
    { cause: error },
  );
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
