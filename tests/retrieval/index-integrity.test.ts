import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.ts';
import { PaperbotError } from '../../src/errors.ts';
import { PaperIndex } from '../../src/retrieval/paper-index.ts';
import { MANIFEST_FILE } from '../../src/storage/index-layout.ts';
import { HashingEmbeddings } from '../fakes/hashing-embeddings.ts';

const papers: Paper[] = [
  { id: 'a', title: 'Layers', abstract: 'Intermediate layers give better embeddings.' },
  { id: 'b', title: 'Heads', abstract: 'Successor heads increment Monday to Tuesday.' },
];

async function openError(dir: string): Promise<unknown> {
  return PaperIndex.open(dir, new HashingEmbeddings()).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('index manifest and checksum validation', () => {
  let dir: string;
  let manifestPath: string;
  let manifest: Record<string, unknown>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperbot-integrity-'));
    await PaperIndex.build(dir, papers, new HashingEmbeddings());
    manifestPath = join(dir, MANIFEST_FILE);
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['files missing', (value: Record<string, unknown>) => ({ ...value, files: undefined }), /files: /],
    ['files null', (value: Record<string, unknown>) => ({ ...value, files: null }), /files: /],
    ['manifest null', () => null, /manifest: /],
    [
      'a file name with a path',
      (value: Record<string, unknown>) => ({
        ...value,
        files: { ...(value.files as object), documents: '../../etc/passwd' },
      }),
      /files\.documents: is not a documents-<generation>\.json file name/,
    ],
    [
      'dimensions a string',
      (value: Record<string, unknown>) => ({ ...value, dimensions: '64' }),
      /dimensions: /,
    ],
  ])('%s is INDEX_CORRUPT naming the field and the fix, never a TypeError', async (_name, damage, field) => {
    writeFileSync(manifestPath, JSON.stringify(damage(manifest)));
    const error = await openError(dir);
    expect(error).toBeInstanceOf(PaperbotError);
    expect((error as PaperbotError).code).toBe('INDEX_CORRUPT');
    expect((error as PaperbotError).message).toMatch(field);
    expect((error as PaperbotError).message).toMatch(/manifest\.json is damaged.*paperbot index build/);
  });

  it('a paper whose abstract changed after embedding fails the checksum on load', async () => {
    const documents = join(dir, (manifest.files as { documents: string }).documents);
    const text = readFileSync(documents, 'utf8');
    // Same length, so the size check passes and only the checksum can catch it.
    writeFileSync(documents, text.replace('Monday to Tuesday', 'Tuesday to Monday'));
    const error = await openError(dir);
    expect((error as PaperbotError).code).toBe('INDEX_CORRUPT');
    expect((error as PaperbotError).message).toMatch(
      /title or abstract of paper b was changed.*paperbot index build/,
    );
  });

  it('a manifest checksum that matches no paper list is INDEX_CORRUPT', async () => {
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, corpusChecksum: 'f'.repeat(64) }));
    const error = await openError(dir);
    expect((error as PaperbotError).code).toBe('INDEX_CORRUPT');
    expect((error as PaperbotError).message).toMatch(
      /corpus checksum of documents-.* is [0-9a-f]{12}\.\.\., the manifest says ffffffffffff/,
    );
  });

  it('a paper count that disagrees with the documents is INDEX_CORRUPT', async () => {
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, paperCount: 3 }));
    const error = await openError(dir);
    expect((error as PaperbotError).message).toMatch(/2 papers in documents-.*, 3 in the manifest/);
  });

  it('a writer catching up with a damaged manifest reports INDEX_CORRUPT, not a TypeError', async () => {
    const index = await PaperIndex.open(dir, new HashingEmbeddings());
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, files: null }));
    const error = await index.reloadIfChanged().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect((error as PaperbotError).code).toBe('INDEX_CORRUPT');
  });
});
