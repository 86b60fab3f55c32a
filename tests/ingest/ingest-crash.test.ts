import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import type { Paper } from '../../src/corpus/paper.ts';
import { PaperIndex, paperPassages } from '../../src/retrieval/paper-index.ts';
import { databasePath, openDatabase } from '../../src/storage/database.ts';
import { PaperStore } from '../../src/storage/paper-store.ts';
import { FeedServer } from '../fakes/feed-server.ts';
import { HashingEmbeddings } from '../fakes/hashing-embeddings.ts';
import { type OutputChild, startOutputChild } from '../helpers/output-child.ts';
import { dailyPapersRoute, HF_DAY_0612, hfFixture } from './ingest-fixtures.ts';

const RUN_TS = join(PACKAGE_ROOT, 'bin', 'run-ts.mjs');
const CHILD = join(PACKAGE_ROOT, 'tests', 'fakes', 'ingest-child.ts');
const DAY = '2026-06-12';

const seed: Paper[] = Array.from({ length: 12 }, (_, n) => ({
  id: `seed-${n}`,
  title: `Seed paper ${n} about graph neural networks`,
  abstract: `We study message passing variant ${n}. It improves node classification. Results hold on citation graphs.`,
}));

function runChild(dir: string, seedPath: string, hfUrl: string, env: Record<string, string>): OutputChild {
  return startOutputChild([RUN_TS, CHILD, dir, seedPath, hfUrl, DAY], env);
}

async function killAt(child: OutputChild, pattern: RegExp): Promise<void> {
  await child.waitFor(pattern);
  child.process.kill('SIGKILL');
  expect(await child.exit).toBeNull();
}

/** Store, lexical index and HNSW index agree: same ids, one copy of each paper's vectors. */
async function expectConsistent(dir: string, expectedSize?: number) {
  const database = openDatabase(databasePath(dir));
  const ids = new PaperStore(database).all().map((paper) => paper.id);
  database.close();
  const index = await PaperIndex.open(dir, new HashingEmbeddings());
  expect(new Set(index.papers().map((paper) => paper.id)).size).toBe(index.size);
  if (expectedSize !== undefined) {
    expect(ids).toHaveLength(expectedSize);
    expect(index.size).toBe(expectedSize);
    expect(index.lexicalSize).toBe(expectedSize);
    expect(
      index
        .papers()
        .map((paper) => paper.id)
        .sort(),
    ).toEqual([...ids].sort());
    const passages = index.papers().reduce((sum, paper) => sum + paperPassages(paper).length, 0);
    expect(index.vectorStore.size).toBe(passages);
    expect(index.manifest?.paperCount).toBe(expectedSize);
  }
  return { storeSize: ids.length, index };
}

describe('kill -9 during an ingest', () => {
  let root: string;
  let server: FeedServer;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'paperbot-ingest-crash-'));
    server = await FeedServer.start(dailyPapersRoute({ [DAY]: hfFixture(HF_DAY_0612) }));
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('leaves store and index consistent at every kill point, and a re-run finishes without duplicates', async () => {
    const dir = join(root, 'index');
    const seedPath = join(root, 'seed.jsonl');
    writeFileSync(seedPath, `${seed.map((paper) => JSON.stringify(paper)).join('\n')}\n`);
    await PaperIndex.build(dir, seed, new HashingEmbeddings());
    const expected = seed.length + 30;

    // 1. Killed while embedding the first batch: the store has the day, the index has none of it.
    await killAt(runChild(dir, seedPath, server.url, { HANG_AT_EMBED: '1', BATCH_SIZE: '4' }), /embed 1\n/);
    const first = await expectConsistent(dir);
    expect(first.storeSize).toBe(expected);
    expect(first.index.size).toBe(seed.length);

    // 2. Killed after two batches were saved: the index holds part of the day.
    await killAt(runChild(dir, seedPath, server.url, { HANG_AT_EMBED: '3', BATCH_SIZE: '4' }), /embed 3\n/);
    const second = await expectConsistent(dir);
    expect(second.index.size).toBe(seed.length + 8);

    // 3. Killed as soon as a save reports progress, with no hang to hold it.
    await killAt(runChild(dir, seedPath, server.url, { BATCH_SIZE: '2' }), /progress [1-9]\d*\/22\n/);
    await expectConsistent(dir);

    // 4. A full run finishes the work; a second one has nothing to do.
    const finish = runChild(dir, seedPath, server.url, { BATCH_SIZE: '4' });
    expect(await finish.exit, finish.output()).toBe(0);
    await expectConsistent(dir, expected);
    const again = runChild(dir, seedPath, server.url, {});
    expect(await again.exit).toBe(0);
    expect(again.output()).toContain('done {"added":0,"reembedded":0,"refreshed":0,"removed":0}');
    await expectConsistent(dir, expected);
  });
});
