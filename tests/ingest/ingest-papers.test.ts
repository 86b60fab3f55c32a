import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.ts';
import { createFeedRefresh } from '../../src/ingest/feed-refresh.ts';
import { HuggingFaceClient } from '../../src/ingest/hugging-face-client.ts';
import { ingestPapers } from '../../src/ingest/ingest-papers.ts';
import { syncIndex } from '../../src/ingest/sync-index.ts';
import { PaperIndex } from '../../src/retrieval/paper-index.ts';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.ts';
import { PaperStore } from '../../src/storage/paper-store.ts';
import { createTrendingPapers } from '../../src/trending/trending-papers.ts';
import { FeedServer } from '../fakes/feed-server.ts';
import { HashingEmbeddings } from '../fakes/hashing-embeddings.ts';
import { dailyPapersRoute, HF_DAY_0612, hfFixture, instantHttp } from './ingest-fixtures.ts';

const seed: Paper[] = [
  { id: 'seed-1', title: 'Graph attention', abstract: 'Attention over graph neighbourhoods. It helps.' },
  { id: 'seed-2', title: 'Sparse retrieval', abstract: 'Inverted indexes for passage retrieval. Fast.' },
];

describe('ingestPapers', () => {
  let root: string;
  let database: SqliteDatabase;
  let store: PaperStore;
  let index: PaperIndex;
  let server: FeedServer;
  let huggingFace: HuggingFaceClient;
  const embeddings = new HashingEmbeddings();
  const target = () => ({ store, index, seedCorpus: () => seed });

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'paperbot-ingest-'));
    index = await PaperIndex.build(join(root, 'index'), seed, embeddings);
    database = openDatabase(join(root, 'index', 'paperbot.db'));
    store = new PaperStore(database);
    server = await FeedServer.start(dailyPapersRoute({ '2026-06-12': hfFixture(HF_DAY_0612) }));
    huggingFace = new HuggingFaceClient({ baseUrl: server.url, http: instantHttp() });
  });
  afterEach(async () => {
    database.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('seeds the empty store, stores a day and adds it to the index', async () => {
    const day = await huggingFace.fetchDay('2026-06-12');
    const outcome = await ingestPapers(day.papers, target());
    expect(outcome.seeded).toBe(2);
    expect(outcome.store.added).toHaveLength(30);
    expect(outcome.index).toEqual({ added: 30, reembedded: 0, refreshed: 0, removed: 0 });
    expect(store.count()).toBe(32);
    expect(index.size).toBe(32);
    expect(index.lexicalSize).toBe(32);
    expect(await createTrendingPapers(database).newestDay()).toBe('2026-06-12');
  });

  it('ingesting the same day twice adds nothing and refreshes upvotes in store and index', async () => {
    const day = await huggingFace.fetchDay('2026-06-12');
    await ingestPapers(day.papers, target());
    const calls = embeddings.calls;
    const bumped = day.papers.map((paper, n) => (n === 0 ? { ...paper, upvotes: 99 } : paper));
    const outcome = await ingestPapers(bumped, target());
    expect(outcome.store).toMatchObject({ added: [], updated: [day.papers[0]!.id], unchanged: 29 });
    expect(outcome.index).toEqual({ added: 0, reembedded: 0, refreshed: 1, removed: 0 });
    expect(embeddings.calls).toBe(calls);
    expect(store.count()).toBe(32);
    expect(store.get(day.papers[0]!.id)?.upvotes).toBe(99);
    expect(index.get(day.papers[0]!.id)?.upvotes).toBe(99);
    // Reopened from disk, the index agrees too.
    expect((await PaperIndex.open(index.dir, embeddings)).get(day.papers[0]!.id)?.upvotes).toBe(99);
  });

  it('re-embeds a paper whose abstract changed, and only that one', async () => {
    const day = await huggingFace.fetchDay('2026-06-12');
    await ingestPapers(day.papers, target());
    const changed = { ...day.papers[3]!, abstract: 'A completely rewritten abstract about protein folding.' };
    const outcome = await ingestPapers([changed], target());
    expect(outcome.store.contentChanged).toEqual([changed.id]);
    expect(outcome.index).toMatchObject({ added: 0, reembedded: 1 });
    const hits = index.searchLexical('protein folding', 1);
    expect(hits[0]?.id).toBe(changed.id);
  });

  it('a dry run reports the change and writes nothing', async () => {
    const day = await huggingFace.fetchDay('2026-06-12');
    const outcome = await ingestPapers(day.papers, target(), { dryRun: true });
    expect(outcome.store.added).toHaveLength(30);
    expect(outcome.index).toBeUndefined();
    expect(store.count()).toBe(0);
    expect(index.size).toBe(2);
  });

  it('sync removes from the index a paper the store no longer has', async () => {
    await ingestPapers([], target());
    database.prepare("DELETE FROM papers WHERE id = 'seed-2'").run();
    expect(await syncIndex(store, index)).toMatchObject({ removed: 1 });
    expect(index.get('seed-2')).toBeUndefined();
  });

  it('a feed refresh reads the recent days and updates the index in place', async () => {
    const refresh = createFeedRefresh({
      huggingFace,
      store,
      index,
      seedCorpus: () => seed,
      clock: { now: () => Date.parse('2026-06-13T08:00:00Z') },
    });
    const outcome = await refresh();
    expect(outcome).toMatchObject({
      days: ['2026-06-11', '2026-06-12', '2026-06-13'],
      added: 30,
      failed: [],
    });
    expect(index.size).toBe(32);
  });
});
