import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.ts';
import { ArxivClient } from '../../src/ingest/arxiv-client.ts';
import { ingestPapers } from '../../src/ingest/ingest-papers.ts';
import { PaperIndex } from '../../src/retrieval/paper-index.ts';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.ts';
import { PaperStore } from '../../src/storage/paper-store.ts';
import { FeedServer } from '../fakes/feed-server.ts';
import { HashingEmbeddings } from '../fakes/hashing-embeddings.ts';
import { ARXIV_CURRENT, arxivFixture, instantHttp } from './ingest-fixtures.ts';

// The first entry of ARXIV_CURRENT is 2606.13677; the bundled-style seed carries it as `arxivId`.
const seed: Paper[] = [
  {
    id: 'seed-001',
    arxivId: '2606.13677',
    title: 'An older copy of the title',
    abstract: 'The bundled abstract. It is shorter.',
    source: 'seed',
  },
  { id: 'seed-002', title: 'Sparse retrieval', abstract: 'Inverted indexes for passage retrieval. Fast.' },
];

describe('ingest of a paper the bundled corpus holds under a seed id', () => {
  let root: string;
  let database: SqliteDatabase;
  let store: PaperStore;
  let index: PaperIndex;
  let server: FeedServer;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'paperbot-seed-match-'));
    index = await PaperIndex.build(join(root, 'index'), seed, new HashingEmbeddings());
    database = openDatabase(join(root, 'index', 'paperbot.db'));
    store = new PaperStore(database);
    server = await FeedServer.start(() => ({ body: arxivFixture(ARXIV_CURRENT) }));
  });
  afterEach(async () => {
    database.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('updates the seed paper (matched on arxivId) instead of adding a copy, in store and index', async () => {
    const client = new ArxivClient({ baseUrl: server.url, http: instantHttp(), minIntervalMs: 0 });
    const { papers } = await client.fetch({ ids: ['2606.13677v1'] });
    expect(papers.map((paper) => paper.id)).toContain('2606.13677');
    const target = { store, index, seedCorpus: () => seed };

    const dry = await ingestPapers(papers, target, { dryRun: true });
    expect(dry.store.added).toHaveLength(4);
    expect(dry.store.updated).toEqual(['seed-001']);

    const outcome = await ingestPapers(papers, target);
    expect(outcome.store.added).toHaveLength(4);
    expect(outcome.store.added).not.toContain('2606.13677');
    expect(outcome.store.updated).toEqual(['seed-001']);
    expect(store.get('2606.13677')).toBeUndefined();
    expect(index.get('2606.13677')).toBeUndefined();
    const updated = store.get('seed-001')!;
    expect(updated).toMatchObject({ id: 'seed-001', arxivId: '2606.13677', source: 'seed' });
    expect(updated.title).toBe(papers.find((paper) => paper.id === '2606.13677')!.title);
    expect(updated.publishedAt).toMatch(/^2026-06/);
    expect(index.get('seed-001')?.title).toBe(updated.title);
    expect(store.count()).toBe(6);

    const again = await ingestPapers(papers, target);
    expect(again.store).toMatchObject({ added: [], updated: [], unchanged: 5 });
  });
});
