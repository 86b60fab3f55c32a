import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.ts';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.ts';
import { PaperStore } from '../../src/storage/paper-store.ts';
import { createTrendingPapers } from '../../src/trending/trending-papers.ts';

const paper = (id: string, fields: Partial<Paper> = {}): Paper => ({
  id,
  title: `Title ${id}`,
  abstract: `Abstract of ${id}.`,
  ...fields,
});

describe('PaperStore', () => {
  let database: SqliteDatabase;
  let store: PaperStore;
  beforeEach(() => {
    database = openDatabase(':memory:');
    store = new PaperStore(database);
  });
  afterEach(() => database.close());

  it('adds new papers and reports a re-seen identical one as unchanged', () => {
    expect(store.upsert([paper('2601.00001'), paper('2601.00002')])).toEqual({
      added: ['2601.00001', '2601.00002'],
      updated: [],
      contentChanged: [],
      unchanged: 0,
    });
    expect(store.upsert([paper('2601.00001')])).toMatchObject({ added: [], updated: [], unchanged: 1 });
    expect(store.count()).toBe(2);
  });

  it('updates upvotes of a paper seen again under a versioned id, without a duplicate', () => {
    store.upsert([paper('2601.00001', { upvotes: 3, dailyPapersAt: '2026-01-05T00:00:00.000Z' })]);
    const change = store.upsert([{ ...paper('2601.00001', { upvotes: 9 }), id: '2601.00001v2' }]);
    expect(change).toMatchObject({ added: [], updated: ['2601.00001'], contentChanged: [] });
    expect(store.count()).toBe(1);
    expect(store.get('2601.00001v3')).toMatchObject({
      upvotes: 9,
      dailyPapersAt: '2026-01-05T00:00:00.000Z',
    });
    const row = database.prepare('SELECT upvotes, daily_date FROM papers').get();
    expect(row).toEqual({ upvotes: 9, daily_date: '2026-01-05' });
  });

  it('keeps Hugging Face fields when the arXiv record of the same paper arrives, and flags a new abstract', () => {
    store.upsert([
      paper('2601.00001', { upvotes: 12, aiSummary: 'Short.', source: 'hf', links: { huggingFace: 'h' } }),
    ]);
    const change = store.upsert([
      paper('2601.00001', { abstract: 'A revised abstract.', source: 'arxiv', links: { abs: 'a' } }),
    ]);
    expect(change.contentChanged).toEqual(['2601.00001']);
    expect(store.get('2601.00001')).toMatchObject({
      abstract: 'A revised abstract.',
      upvotes: 12,
      aiSummary: 'Short.',
      source: 'hf',
      links: { huggingFace: 'h', abs: 'a' },
    });
  });

  it('merges a paper given twice in one batch', () => {
    const change = store.upsert([paper('2601.00001', { upvotes: 1 }), paper('2601.00001v2', { upvotes: 2 })]);
    expect(change.added).toEqual(['2601.00001']);
    expect(store.get('2601.00001')?.upvotes).toBe(2);
  });

  it('plans without writing', () => {
    store.upsert([paper('2601.00001', { upvotes: 1 })]);
    const plan = store.plan([paper('2601.00001', { upvotes: 5 }), paper('2601.00009')]);
    expect(plan).toMatchObject({ added: ['2601.00009'], updated: ['2601.00001'] });
    expect(store.count()).toBe(1);
    expect(store.get('2601.00001')?.upvotes).toBe(1);
  });

  it("stores each paper's Daily-Papers day where the trending digest reads it", async () => {
    const day = (n: number) => `2026-01-0${n}T00:00:00.000Z`;
    store.upsert([
      paper('2601.00001', { dailyPapersAt: day(5), upvotes: 50 }),
      paper('2601.00002', { dailyPapersAt: day(5), upvotes: 1, trendingRank: 1 }),
      paper('2601.00003', { dailyPapersAt: day(5), upvotes: 90 }),
      paper('2601.00004', { dailyPapersAt: day(6), upvotes: 2 }),
      paper('2601.00005'),
    ]);
    const trending = createTrendingPapers(database);
    expect(await trending.newestDay()).toBe('2026-01-06');
    expect(await trending.newestDay('2026-01-05')).toBe('2026-01-05');
    const ofDay = await trending.papersBetween('2026-01-05', '2026-01-05');
    expect(ofDay.map((entry) => entry.id).sort()).toEqual(['2601.00001', '2601.00002', '2601.00003']);
    expect(ofDay.find((entry) => entry.id === '2601.00002')).toMatchObject({ trendingRank: 1, upvotes: 1 });
  });
});
