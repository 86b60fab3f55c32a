import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
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

/** The manifest's shape: anything else (a hand edit, a torn write) is INDEX_CORRUPT, never a TypeError. */
const manifestSchema = z.object({
  formatVersion: z.number().int(),
  embeddingModel: z.string().min(1),
  dimensions: z.number().int().positive(),
  distance: z.literal('cosine'),
  paperCount: z.number().int().nonnegative(),
  vectorCount: z.number().int().nonnegative(),
  corpusChecksum: z.string().regex(/^[0-9a-f]{64}$/, 'is not a sha256 hex digest'),
  builtAt: z.string(),
  updatedAt: z.string(),
  hnsw: z.object({
    m: z.number().int().positive(),
    efConstruction: z.number().int().positive(),
    efSearch: z.number().int().positive(),
  }),
  files: z.object({
    vectors: z.string().regex(/^vectors-[\w-]+\.hnsw$/, 'is not a vectors-<generation>.hnsw file name'),
    documents: z.string().regex(/^documents-[\w-]+\.json$/, 'is not a documents-<generation>.json file name'),
    vectorsBytes: z.number().int().nonnegative(),
    documentsBytes: z.number().int().nonnegative(),
  }),
});

/**
 * Checks parsed manifest JSON: a format this version cannot read is INDEX_MISMATCH, a missing or
 * mistyped field INDEX_CORRUPT naming the fields; both say how to rebuild.
 */
export function parseManifest(value: unknown, path: string): IndexManifest {
  const format = (value as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof format === 'number' && format !== INDEX_FORMAT_VERSION) {
    throw new PaperbotError(
      'INDEX_MISMATCH',
      `Index manifest ${path} has format ${format}, this paperbot reads format ${INDEX_FORMAT_VERSION}. Rebuild with \`${REBUILD_COMMAND}\`.`,
    );
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues
      .slice(0, 4)
      .map((issue) => `${issue.path.join('.') || 'manifest'}: ${issue.message}`)
      .join('; ');
    throw new PaperbotError(
      'INDEX_CORRUPT',
      `Index manifest ${path} is damaged (${fields}). Rebuild with \`${REBUILD_COMMAND}\` (papers come from the database, nothing is lost), or check it with \`npx paperbot index verify\`.`,
    );
  }
  return parsed.data;
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
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PaperbotError(
      'INDEX_CORRUPT',
      `Index manifest ${path} is not valid JSON. Rebuild with \`${REBUILD_COMMAND}\`.`,
      {
        cause: error,
      },
    );
  }
  const manifest = parseManifest(value, path);
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
