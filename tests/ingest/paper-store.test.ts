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

  it('lists a Daily-Papers day in trending order, then by upvotes, and finds the newest day', () => {
    const day = (n: number) => `2026-01-0${n}T00:00:00.000Z`;
    store.upsert([
      paper('2601.00001', { dailyPapersAt: day(5), upvotes: 50 }),
      paper('2601.00002', { dailyPapersAt: day(5), upvotes: 1, trendingRank: 1 }),
      paper('2601.00003', { dailyPapersAt: day(5), upvotes: 90 }),
      paper('2601.00004', { dailyPapersAt: day(6), upvotes: 2 }),
      paper('2601.00005'),
    ]);
    expect(store.papersOfDay('2026-01-05').map((entry) => entry.id)).toEqual([
      '2601.00002',
      '2601.00003',
      '2601.00001',
    ]);
    expect(store.papersBetween('2026-01-01', '2026-01-31').map((entry) => entry.id)[0]).toBe('2601.00004');
    expect(store.newestDay()).toBe('2026-01-06');
    // The trending digest reads the same table on its own.
    expect(createTrendingPapers(database).papersBetween('2026-01-05', '2026-01-05')).toHaveLength(3);
  });
});
