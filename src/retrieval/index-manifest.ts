import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PaperbotError } from '../errors.ts';
import { MANIFEST_FILE } from '../storage/index-layout.ts';
import type { HnswParameters } from './hnsw-vector-store.ts';

export const INDEX_FORMAT_VERSION = 1;
export const REBUILD_COMMAND = 'npx paperbot index build';

/** What built an index; written last, so it always describes complete files. */
export interface IndexManifest {
  formatVersion: number;
  embeddingModel: string;
  dimensions: number;
  distance: 'cosine';
  paperCount: number;
  vectorCount: number;
  /** sha256 over the sorted `id:contentHash` pairs of the indexed papers. */
  corpusChecksum: string;
  builtAt: string;
  updatedAt: string;
  hnsw: HnswParameters;
  /** Files of this generation and their sizes in bytes (a size mismatch means truncation). */
  files: { vectors: string; documents: string; vectorsBytes: number; documentsBytes: number };
}

export function corpusChecksum(hashes: Iterable<[string, string]>): string {
  const lines = [...hashes].map(([id, hash]) => `${id}:${hash}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** Reads and checks the manifest against the embeddings in use; throws a PaperbotError that says how to fix it. */
export function readManifest(dir: string, expected: { modelId: string; dimensions: number }): IndexManifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) {
    throw new PaperbotError(
      'INDEX_MISSING',
      `No index in ${dir} (${MANIFEST_FILE} not found). Build it with \`${REBUILD_COMMAND}\`.`,
    );
  }
  let manifest: IndexManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as IndexManifest;
  } catch (error) {
    throw new PaperbotError(
      'INDEX_CORRUPT',
      `Index manifest ${path} is not valid JSON. Rebuild with \`${REBUILD_COMMAND}\`.`,
      {
        cause: error,
      },
    );
  }
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
    throw new PaperbotError(
      'INDEX_MISMATCH',
      `Index in ${dir} has format ${manifest.formatVersion}, this paperbot reads format ${INDEX_FORMAT_VERSION}. Rebuild with \`${REBUILD_COMMAND}\`.`,
    );
  }
  if (manifest.embeddingModel !== expected.modelId) {
    throw new PaperbotError(
      'INDEX_MISMATCH',
      `Index in ${dir} was built with embedding model "${manifest.embeddingModel}", but "${expected.modelId}" is configured. ` +
        `Rebuild with \`${REBUILD_COMMAND}\`, or configure the model it was built with (PAPERBOT_EMBEDDINGS / OPENAI_EMBEDDING_MODEL).`,
    );
  }
  if (manifest.dimensions !== expected.dimensions) {
    throw new PaperbotError(
      'INDEX_MISMATCH',
      `Index in ${dir} has ${manifest.dimensions}-dimensional vectors, but the embedding model gives ${expected.dimensions}. ` +
        `Rebuild with \`${REBUILD_COMMAND}\`.`,
    );
  }
  for (const [file, bytes] of [
    [manifest.files.vectors, manifest.files.vectorsBytes],
    [manifest.files.documents, manifest.files.documentsBytes],
  ] as const) {
    const filePath = join(dir, file);
    const actual = existsSync(filePath) ? statSync(filePath).size : -1;
    if (actual !== bytes) {
      throw new PaperbotError(
        'INDEX_CORRUPT',
        `Index file ${filePath} is ${actual < 0 ? 'missing' : `${actual} bytes, expected ${bytes} (truncated or overwritten)`}. ` +
          `Rebuild with \`${REBUILD_COMMAND}\`.`,
      );
    }
  }
  return manifest;
}
