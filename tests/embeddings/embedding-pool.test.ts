import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmbeddingPool } from '../../src/embeddings/embedding-pool.ts';

const FAKE_WORKER = new URL('../fakes/fake-embedding-worker.mjs', import.meta.url);
const texts = (count: number) => Array.from({ length: count }, (_, index) => `text ${index}`);

describe('EmbeddingPool (fake workers)', () => {
  const pools: EmbeddingPool[] = [];
  const pool = (size: number, idleMs?: number) => {
    const created = new EmbeddingPool({ size, workerUrl: FAKE_WORKER, idleMs });
    pools.push(created);
    return created;
  };
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(pools.splice(0).map((created) => created.close()));
  });

  it('starts lazily, splits the texts over every worker and returns the vectors in order', async () => {
    const three = pool(3);
    expect(three.running).toBe(0);
    const vectors = await three.embed(texts(100));
    expect(three.running).toBe(3);
    expect(vectors.map((vector) => vector[0])).toEqual(texts(100).map((_, index) => index));
    expect(new Set(vectors.map((vector) => vector[1])).size).toBeGreaterThan(1);
  });

  it('serves calls made at the same time, each in its own order', async () => {
    const two = pool(2);
    const [first, second] = await Promise.all([two.embed(texts(40)), two.embed(texts(70).slice(30))]);
    expect(first.map((vector) => vector[0])).toEqual(texts(40).map((_, index) => index));
    expect(second.map((vector) => vector[0])).toEqual(
      texts(70)
        .map((_, index) => index)
        .slice(30),
    );
  });

  it('fails the call with EMBEDDINGS_WORKER_FAILED when a worker throws, then starts afresh', async () => {
    const two = pool(2);
    await expect(two.embed([...texts(50), 'crash'])).rejects.toMatchObject({
      name: 'PaperbotError',
      code: 'EMBEDDINGS_WORKER_FAILED',
      message: expect.stringMatching(/Embedding worker thread \d of 2 crashed: fake worker crash.*=0/),
    });
    expect(two.running).toBe(0);
    expect((await two.embed(texts(3))).map((vector) => vector[0])).toEqual([0, 1, 2]);
  });

  it('fails the call when a worker exits', async () => {
    const two = pool(2);
    await expect(two.embed(['exit', ...texts(10)])).rejects.toThrow(/exited with code 3/);
    expect(two.running).toBe(0);
  });

  it("fails the call on a worker's error reply and keeps the workers", async () => {
    const two = pool(2);
    const failure = two.embed([...texts(20), 'fail']);
    await expect(failure).rejects.toMatchObject({ code: 'EMBEDDINGS_WORKER_FAILED' });
    await expect(failure).rejects.toThrow(/failed: fake model failure$/);
    expect(two.running).toBe(2);
  });

  it('close fails a call in flight instead of leaving it pending', async () => {
    const one = pool(1);
    const hanging = expect(one.embed(['hang'])).rejects.toThrow(/closed during the call/);
    await one.close();
    await hanging;
    expect(one.running).toBe(0);
  });

  it('terminates the workers after idleMs without a call', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const two = pool(2, 5_000);
    await two.embed(texts(4));
    vi.advanceTimersByTime(4_999);
    expect(two.running).toBe(2);
    vi.advanceTimersByTime(1);
    expect(two.running).toBe(0);
  });
});
