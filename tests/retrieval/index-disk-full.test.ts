import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Paper } from '../../src/corpus/paper.ts';
import { PaperbotError } from '../../src/errors.ts';
import { indexWrites } from '../../src/retrieval/index-files.ts';
import { PaperIndex } from '../../src/retrieval/paper-index.ts';
import { HashingEmbeddings } from '../fakes/hashing-embeddings.ts';

const papers: Paper[] = [
  { id: 'a', title: 'Layers', abstract: 'Intermediate layers give better embeddings.' },
  { id: 'b', title: 'Heads', abstract: 'Successor heads increment Monday to Tuesday.' },
];
const extra: Paper = { id: 'c', title: 'Penguins', abstract: 'Emperor penguins dive deep.' };

function diskFull(): never {
  throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
}

describe('an index save that runs out of disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paperbot-full-'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['the documents file', 0],
    ['the manifest', 1],
  ])(
    'at %s leaves no orphan generation, names the directory and the fix, and keeps the old index',
    async (_where, failAt) => {
      const embeddings = new HashingEmbeddings();
      const index = await PaperIndex.build(dir, papers, embeddings);
      const before = readdirSync(dir)
        .filter((name) => !name.startsWith('.lock'))
        .sort();
      const write = indexWrites.writeFileAtomic;
      let calls = 0;
      vi.spyOn(indexWrites, 'writeFileAtomic').mockImplementation((path, content) => {
        if (calls++ === failAt) diskFull();
        write(path, content);
      });
      const error = await index.upsert([extra]).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(PaperbotError);
      expect((error as PaperbotError).code).toBe('INDEX_WRITE_FAILED');
      expect((error as PaperbotError).message).toContain(dir);
      expect((error as PaperbotError).message).toMatch(
        /ENOSPC.*previous index is unchanged.*disk holding .* is full.*PAPERBOT_INDEX_DIR/,
      );
      expect(
        readdirSync(dir)
          .filter((name) => !name.startsWith('.lock'))
          .sort(),
      ).toEqual(before);
      // The unsaved paper is not taken as indexed: once the disk has room, the same upsert saves it.
      expect(index.get('c')).toBeUndefined();
      vi.restoreAllMocks();
      expect((await index.upsert([extra])).added).toEqual(['c']);
      expect((await PaperIndex.open(dir, embeddings)).size).toBe(3);
    },
  );

  it('while writing the vectors removes the temporary file', async () => {
    const index = await PaperIndex.build(dir, papers, new HashingEmbeddings());
    const before = readdirSync(dir).sort();
    vi.spyOn(indexWrites, 'writeVectors').mockImplementation((_store, path) => {
      // hnswlib had written part of the file when the disk filled.
      rmSync(path, { force: true });
      writeFileSync(path, 'partial');
      diskFull();
    });
    await expect(index.upsert([extra])).rejects.toThrow(/Could not save the index/);
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});
