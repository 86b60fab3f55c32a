import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { createEmbeddings } from '../../src/embeddings/create-embeddings.ts';
import { LocalEmbeddings, POOL_MIN_TEXTS } from '../../src/embeddings/local-embeddings.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { PaperStore } from '../../src/storage/paper-store.ts';
import { startJsonChild } from '../helpers/json-child.ts';
import { runCli } from '../helpers/run-cli.ts';

const RUN_TS = join(PACKAGE_ROOT, 'bin', 'run-ts.mjs');

const TOPICS = ['graph retrieval', 'protein folding', 'speech synthesis', 'robot grasping', 'code search'];
/** Short, distinct texts (fast to embed), so that a vector in the wrong place cannot go unnoticed. */
const texts = (count: number) =>
  Array.from({ length: count }, (_, index) => `Study ${index} of ${TOPICS[index % TOPICS.length]}.`);

function maxDifference(left: number[][], right: number[][]): number {
  let max = 0;
  left.forEach((vector, row) => {
    vector.forEach((value, column) => {
      max = Math.max(max, Math.abs(value - (right[row]?.[column] ?? Number.NaN)));
    });
  });
  return max;
}

describe('LocalEmbeddings worker pool', () => {
  const mainThread = new LocalEmbeddings();
  const pooled = new LocalEmbeddings({ workers: 2 });
  afterAll(() => pooled.close());

  it('keeps small calls and queries on the main thread', async () => {
    const input = texts(POOL_MIN_TEXTS - 1);
    const vectors = await pooled.embedDocuments(input);
    await pooled.embedQuery('which papers study graph retrieval?');
    expect(vectors).toHaveLength(input.length);
    expect(pooled.pool?.running).toBe(0);
  });

  it('gives the vectors of the main thread, in order, for a large call', async () => {
    const input = texts(100);
    const [single, parallel] = [await mainThread.embedDocuments(input), await pooled.embedDocuments(input)];
    expect(pooled.pool?.running).toBe(2);
    expect(parallel).toHaveLength(100);
    expect(parallel.every((vector) => vector.length === 512)).toBe(true);
    expect(maxDifference(parallel, single)).toBeLessThanOrEqual(1e-6);
    // Distinct texts give distinct vectors, so the comparison above also checks the order.
    expect(maxDifference(parallel.slice(1), single.slice(0, -1))).toBeGreaterThan(1e-3);
  });

  it('uses the running pool for a small call too, with the same vectors', async () => {
    expect(pooled.pool?.running).toBe(2);
    const input = texts(7);
    expect(
      maxDifference(await pooled.embedDocuments(input), await mainThread.embedDocuments(input)),
    ).toBeLessThanOrEqual(1e-6);
  });
});

describe('PAPERBOT_EMBED_WORKERS', () => {
  const offline = { PAPERBOT_EMBEDDINGS: 'local' };

  it('sizes the pool of the local embeddings; 0 turns it off', async () => {
    const two = (await createEmbeddings(
      loadConfig({ ...offline, PAPERBOT_EMBED_WORKERS: '3' }),
    )) as LocalEmbeddings;
    expect(two.pool?.size).toBe(3);
    const none = (await createEmbeddings(
      loadConfig({ ...offline, PAPERBOT_EMBED_WORKERS: '0' }),
    )) as LocalEmbeddings;
    expect(none.pool).toBeUndefined();
  });

  it('defaults to 2 workers on 2 or more cores, else 0, and rejects a bad value', () => {
    expect(loadConfig({}).embedWorkers).toBe(availableParallelism() >= 2 ? 2 : 0);
    expect(loadConfig({ PAPERBOT_EMBED_WORKERS: ' ' }).embedWorkers).toBe(loadConfig({}).embedWorkers);
    expect(() => loadConfig({ PAPERBOT_EMBED_WORKERS: 'two' })).toThrow(/PAPERBOT_EMBED_WORKERS="two"/);
    expect(() => loadConfig({ PAPERBOT_EMBED_WORKERS: '-1' })).toThrow(/PAPERBOT_EMBED_WORKERS="-1"/);
  });
});

describe('index build with embedding workers (child process)', () => {
  it('uses the pool and exits with code 0', async () => {
    const root = mkdtempSync(join(tmpdir(), 'paperbot-workers-'));
    try {
      // 8 papers of a title and 8 sentences: 72 passages, one pooled call of 64 and one of 8.
      const papers = Array.from({ length: 8 }, (_, paper) => ({
        id: `w${paper}`,
        title: `Paper ${paper} on ${TOPICS[paper % TOPICS.length]}`,
        abstract: Array.from(
          { length: 8 },
          (_, sentence) =>
            `Finding ${sentence} of paper ${paper} concerns ${TOPICS[sentence % TOPICS.length]}.`,
        ).join(' '),
      }));
      // index build embeds the database's papers: give it these 8 (an empty one is seeded with 119).
      mkdirSync(join(root, 'index'));
      const database = openDatabase(join(root, 'index', 'paperbot.db'));
      new PaperStore(database).upsert(papers);
      database.close();
      const result = await runCli(['index', 'build', '--json'], {
        PAPERBOT_INDEX_DIR: join(root, 'index'),
        PAPERBOT_EMBEDDINGS: 'local',
        PAPERBOT_EMBED_WORKERS: '2',
      });
      expect(result.stderr).not.toMatch(/paperbot:|Error/);
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout) as { papers: number; vectors: number; seconds: number };
      expect(summary).toMatchObject({ papers: 8, vectors: 72 });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('an idle embedding pool (child process)', () => {
  it('lets the process exit without waiting for the idle timeout', async () => {
    // The child's pool would keep its workers for an hour: were they still referenced, the child
    // would not exit and this test would time out.
    const child = startJsonChild([RUN_TS, join('tests', 'fakes', 'pool-exit-child.ts')]);
    expect(await child.exit).toBe(0);
    expect(child.events).toEqual([{ event: 'embedded', vectors: 40, running: 2 }]);
    expect(child.stderr()).toBe('');
  });
});
