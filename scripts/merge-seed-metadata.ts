/**
 * Merges arXiv metadata (`id, arxivId, authors, published, url` per line, as in
 * `../shared/corpus/seed-papers-metadata.jsonl`) into `corpus/seed-papers.jsonl`:
 *
 *   node bin/run-ts.mjs scripts/merge-seed-metadata.ts <metadata.jsonl>
 *
 * Ids stay `seed-NNN`; the metadata becomes `arxivId`, `authors`, `publishedAt` and `links.abs`.
 * Authors are left out for the ids in `DOUBTFUL_AUTHORS` (see corpus/METADATA.md). Idempotent.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { BUNDLED_CORPUS_PATH } from '../src/corpus/bundled.ts';
import { normalizePaperId } from '../src/corpus/paper.ts';

/** Rows whose author order is uncertain: a short "X et al." could name the wrong first author. */
const DOUBTFUL_AUTHORS = new Set(['seed-079']);

interface MetadataRow {
  id: string;
  arxivId?: string;
  authors?: string[];
  published?: string;
  url?: string;
}

const metadataPath = process.argv[2];
if (!metadataPath) {
  console.error('usage: node bin/run-ts.mjs scripts/merge-seed-metadata.ts <seed-papers-metadata.jsonl>');
  process.exit(2);
}
const rows = new Map<string, MetadataRow>();
for (const line of readFileSync(metadataPath, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const row = JSON.parse(line) as MetadataRow;
  rows.set(row.id, row);
}
let merged = 0;
const output = readFileSync(BUNDLED_CORPUS_PATH, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => {
    const paper = JSON.parse(line) as Record<string, unknown>;
    const row = rows.get(String(paper.id));
    // Lines already merged, and papers without metadata, stay byte for byte as they are.
    if (!row?.arxivId || paper.arxivId) return line;
    merged++;
    const arxivId = normalizePaperId(row.arxivId);
    const fields: Record<string, unknown> = {
      arxivId,
      ...(row.authors?.length && !DOUBTFUL_AUTHORS.has(row.id) ? { authors: row.authors } : {}),
      ...(row.published ? { publishedAt: row.published } : {}),
      links: { abs: row.url ?? `https://arxiv.org/abs/${arxivId}` },
    };
    // Appended in the file's own `"key": value` style, so the diff shows only the new fields.
    const added = Object.entries(fields).map(([key, value]) => `"${key}": ${JSON.stringify(value)}`);
    return `${line.trimEnd().replace(/}$/, '')}, ${added.join(', ')}}`;
  });
writeFileSync(BUNDLED_CORPUS_PATH, `${output.join('\n')}\n`);
console.error(`merged metadata into ${merged} of ${output.length} papers -> ${BUNDLED_CORPUS_PATH}`);
