import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.ts';
import { PaperbotError } from '../../src/errors.ts';
import type { IndexManifest } from '../../src/retrieval/index-manifest.ts';
import { PaperIndex, paperPassages } from '../../src/retrieval/paper-index.ts';
import { MANIFEST_FILE } from '../../src/storage/index-layout.ts';
import { HashingEmbeddings } from '../fakes/hashing-embeddings.ts';

const papers: Paper[] = [
  {
    id: 'a',
    title: 'Intermediate layers beat the last layer',
    abstract: 'Mid-depth hidden states give better embeddings. We test many models.',
  },
  {
    id: 'b',
    title: 'Successor heads',
    abstract: 'Attention heads increment days of the week, Monday to Tuesday. They recur across models.',
  },
  {
    id: 'c',
    title: 'Protein folding',
    abstract: 'We predict structures of proteins from sequences. Accuracy improves.',
  },
];

async function expectCode(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PaperbotError);
  expect((error as PaperbotError).code).toBe(code);
  expect((error as PaperbotError).message).toMatch(message);
}

describe('PaperIndex', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paperbot-index-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips through disk with the same search results and a complete manifest', async () => {
    const embeddings = new HashingEmbeddings();
    const built = await PaperIndex.build(dir, papers, embeddings);
    const reopened = await PaperIndex.open(dir, embeddings);
    expect(reopened.size).toBe(3);
    expect(reopened.lexicalSize).toBe(3);
    const query = await embeddings.embedQuery('successor heads Monday');
    expect(await reopened.searchDense(query, 3)).toEqual(await built.searchDense(query, 3));
    expect(reopened.searchLexical('monday', 3)[0]?.id).toBe('b');
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as IndexManifest;
    expect(manifest).toMatchObject({
      embeddingModel: 'test:hashing-64',
      dimensions: 64,
      distance: 'cosine',
      paperCount: 3,
    });
    expect(manifest.corpusChecksum).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(manifest.builtAt)).not.toBeNaN();
    expect(manifest.hnsw.efSearch).toBeGreaterThan(10);
    expect(reopened.vectorStore.rawIndex.getEf()).toBe(manifest.hnsw.efSearch);
  });

  it('refuses an index built by another embedding model and names the rebuild command', async () => {
    await PaperIndex.build(dir, papers, new HashingEmbeddings(64, 'test:model-a'));
    await expectCode(
      PaperIndex.open(dir, new HashingEmbeddings(64, 'test:model-b')),
      'INDEX_MISMATCH',
      /built with embedding model "test:model-a", but "test:model-b".*paperbot index build/,
    );
  });

  it('refuses an index of other dimensions', async () => {
    await PaperIndex.build(dir, papers, new HashingEmbeddings(64, 'test:same'));
    await expectCode(
      PaperIndex.open(dir, new HashingEmbeddings(32, 'test:same')),
      'INDEX_MISMATCH',
      /64-dimensional vectors, but the embedding model gives 32.*paperbot index build/,
    );
  });

  it('refuses a truncated vectors file', async () => {
    const index = await PaperIndex.build(dir, papers, new HashingEmbeddings());
    const file = join(dir, index.manifest!.files.vectors);
    truncateSync(file, 100);
    await expectCode(
      PaperIndex.open(dir, new HashingEmbeddings()),
      'INDEX_CORRUPT',
      /is 100 bytes, expected \d+ .*truncated.*paperbot index build/,
    );
  });

  it('refuses a corrupt documents file of the right size', async () => {
    const index = await PaperIndex.build(dir, papers, new HashingEmbeddings());
    const file = join(dir, index.manifest!.files.documents);
    const size = readFileSync(file).length;
    writeFileSync(file, 'x'.repeat(size));
    await expectCode(
      PaperIndex.open(dir, new HashingEmbeddings()),
      'INDEX_CORRUPT',
      /cannot be read.*paperbot index build/,
    );
  });

  it('says how to build an index when there is none', async () => {
    await expectCode(
      PaperIndex.open(dir, new HashingEmbeddings()),
      'INDEX_MISSING',
      /No index in .*paperbot index build/,
    );
  });

  it('upserts incrementally: new papers embedded, changed ones re-embedded, unchanged ones only refreshed', async () => {
    const embeddings = new HashingEmbeddings();
    const index = await PaperIndex.build(dir, papers, embeddings);
    const callsBefore = embeddings.calls;
    const result = await index.upsert([
      { ...papers[0]!, upvotes: 7 },
      { ...papers[1]!, abstract: 'Heads that increment months, January to February.' },
      { id: 'd', title: 'Circular features', abstract: 'Days of the week lie on a circle.' },
    ]);
    expect(result).toEqual({ added: ['d'], updated: ['b'], unchanged: 1 });
    expect(embeddings.calls).toBeGreaterThan(callsBefore);
    expect(index.size).toBe(4);
    expect(index.get('a')?.upvotes).toBe(7);
    const reopened = await PaperIndex.open(dir, embeddings);
    expect(reopened.size).toBe(4);
    expect(reopened.vectorStore.size).toBe(index.vectorStore.size);
    expect(reopened.searchLexical('january february', 1)[0]?.id).toBe('b');
    expect(reopened.searchLexical('tuesday', 5).map((hit) => hit.id)).not.toContain('b');
    const dense = await reopened.searchDense(await embeddings.embedQuery('months January February'), 1);
    expect(dense[0]?.id).toBe('b');
    const again = await reopened.upsert([{ ...papers[0]!, upvotes: 7 }]);
    expect(again).toEqual({ added: [], updated: [], unchanged: 1 });
  });

  it('removes papers from both indexes', async () => {
    const index = await PaperIndex.build(dir, papers, new HashingEmbeddings());
    expect(await index.remove(['c', 'zzz'])).toBe(1);
    const reopened = await PaperIndex.open(dir, new HashingEmbeddings());
    expect(reopened.size).toBe(2);
    expect(reopened.searchLexical('protein', 3)).toEqual([]);
    const dense = await reopened.searchDense(
      await new HashingEmbeddings().embedQuery('protein structures'),
      5,
    );
    expect(dense.map((hit) => hit.id)).not.toContain('c');
  });

  it('keeps only the current and previous generation files', async () => {
    const index = await PaperIndex.build(dir, papers, new HashingEmbeddings());
    for (let round = 0; round < 3; round++) {
      await index.upsert([{ id: `n${round}`, title: `New ${round}`, abstract: `Abstract number ${round}.` }]);
    }
    const { readdirSync } = await import('node:fs');
    const vectors = readdirSync(dir).filter((name) => name.startsWith('vectors-'));
    expect(vectors).toHaveLength(2);
  });

  it('reloads when another process saved a newer generation', async () => {
    const embeddings = new HashingEmbeddings();
    const reader = await PaperIndex.build(dir, papers, embeddings);
    const writer = await PaperIndex.open(dir, embeddings);
    await writer.upsert([{ id: 'z', title: 'Zebra stripes', abstract: 'Stripes on zebras.' }]);
    expect(reader.get('z')).toBeUndefined();
    expect(await reader.reloadIfChanged()).toBe(true);
    expect(reader.get('z')?.title).toBe('Zebra stripes');
    expect(await reader.reloadIfChanged()).toBe(false);
  });
});

describe('PaperIndex with two writers', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paperbot-writers-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('two handles on one directory never overwrite each other', async () => {
    const embeddings = new HashingEmbeddings();
    await PaperIndex.build(dir, papers, embeddings);
    const first = await PaperIndex.open(dir, embeddings);
    const second = await PaperIndex.open(dir, embeddings);
    await Promise.all([
      first.upsert([{ id: 'x1', title: 'First writer', abstract: 'Added by the first handle.' }]),
      second.upsert([{ id: 'x2', title: 'Second writer', abstract: 'Added by the second handle.' }]),
    ]);
    await first.upsert([{ id: 'x3', title: 'First again', abstract: 'After the second saved.' }]);
    const reopened = await PaperIndex.open(dir, embeddings);
    expect(
      reopened
        .papers()
        .map((paper) => paper.id)
        .sort(),
    ).toEqual(['a', 'b', 'c', 'x1', 'x2', 'x3']);
    const passages = reopened.papers().reduce((total, paper) => total + paperPassages(paper).length, 0);
    expect(reopened.vectorStore.size).toBe(passages);
  });

  it('takes over the lock of a writer that died, and waits for a live one', async () => {
    const embeddings = new HashingEmbeddings();
    const index = await PaperIndex.build(dir, papers, embeddings);
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { hostname } = await import('node:os');
    const lock = join(dir, '.lock-write');
    mkdirSync(lock);
    writeFileSync(
      join(lock, 'owner.json'),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), since: 'then' }),
    );
    await index.upsert([{ id: 'y1', title: 'After a crash', abstract: 'The dead writer left its lock.' }]);
    expect(index.get('y1')).toBeDefined();

    const { acquireDirectoryLock } = await import('../../src/storage/directory-lock.ts');
    const release = await acquireDirectoryLock(dir, 'write');
    const error = await acquireDirectoryLock(dir, 'write', { timeoutMs: 50, pollMs: 10 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    release();
    expect((error as PaperbotError).code).toBe('INDEX_LOCKED');
    expect((error as PaperbotError).message).toMatch(
      new RegExp(`process ${process.pid} .*delete .*\\.lock-write`),
    );
  });
});
