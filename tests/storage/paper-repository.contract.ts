import { expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.ts';
import type { PaperRepository } from '../../src/storage/paper-repository.ts';
import { type OpenedRepository, openForEachTest } from './contract-setup.ts';

const paper = (id: string, fields: Partial<Paper> = {}): Paper => ({
  id,
  title: `Title ${id.replace(/v\d+$/, '')}`,
  abstract: `Abstract of ${id.replace(/v\d+$/, '')}.`,
  ...fields,
});

/**
 * The behaviour every `PaperRepository` must have, whichever engine stores the papers. Call
 * inside a describe block; `open` gives an empty repository for each test.
 */
export function paperRepositoryContract(open: () => Promise<OpenedRepository<PaperRepository>>): void {
  let repository: PaperRepository;
  openForEachTest(open, (opened) => {
    repository = opened.repository;
  });

  it('adds new papers once and reports a re-seen identical one as unchanged', async () => {
    expect(await repository.upsert([paper('2601.00002'), paper('2601.00001')])).toEqual({
      added: ['2601.00002', '2601.00001'],
      updated: [],
      contentChanged: [],
      unchanged: 0,
    });
    expect(await repository.upsert([paper('2601.00001')])).toEqual({
      added: [],
      updated: [],
      contentChanged: [],
      unchanged: 1,
    });
    expect(await repository.count()).toBe(2);
    expect((await repository.all()).map((stored) => stored.id)).toEqual(['2601.00001', '2601.00002']);
  });

  it('keys papers by arXiv id without version and merges a re-seen paper', async () => {
    await repository.upsert([
      paper('2601.00001v1', { upvotes: 3, links: { abs: 'https://arxiv.org/abs/2601.00001' }, source: 'hf' }),
    ]);
    const change = await repository.upsert([
      paper('2601.00001v2', { upvotes: 9, links: { pdf: 'p' }, source: 'arxiv' }),
    ]);
    expect(change).toEqual({ added: [], updated: ['2601.00001'], contentChanged: [], unchanged: 0 });
    expect(await repository.count()).toBe(1);
    expect(await repository.get('2601.00001v7')).toEqual({
      ...paper('2601.00001'),
      upvotes: 9,
      links: { abs: 'https://arxiv.org/abs/2601.00001', pdf: 'p' },
      source: 'hf',
    });
    expect(await repository.get('2601.09999')).toBeUndefined();
  });

  it('reports a changed abstract as content changed, with the new content hash', async () => {
    await repository.upsert([paper('2601.00001')]);
    const before = (await repository.contentHashes()).get('2601.00001');
    const change = await repository.upsert([paper('2601.00001', { abstract: 'A new abstract.' })]);
    expect(change).toMatchObject({ updated: ['2601.00001'], contentChanged: ['2601.00001'] });
    const after = (await repository.contentHashes()).get('2601.00001');
    expect(after).toMatch(/^[0-9a-f]{16}$/);
    expect(after).not.toBe(before);
  });

  it('merges a paper given twice in one call into one row', async () => {
    const change = await repository.upsert([
      paper('2601.00001', { upvotes: 1 }),
      paper('2601.00001v2', { upvotes: 5 }),
    ]);
    expect(change.added).toEqual(['2601.00001']);
    expect(await repository.count()).toBe(1);
    expect((await repository.get('2601.00001'))?.upvotes).toBe(5);
  });

  it('lists the papers of Daily-Papers days newest first, by trending rank then upvotes', async () => {
    await repository.upsert([
      paper('2601.00001', { dailyPapersAt: '2026-01-05T00:00:00.000Z', upvotes: 50 }),
      paper('2601.00002', { dailyPapersAt: '2026-01-05T00:00:00.000Z', upvotes: 10, trendingRank: 1 }),
      paper('2601.00003', { dailyPapersAt: '2026-01-05T00:00:00.000Z', upvotes: 70 }),
      paper('2601.00004', { dailyPapersAt: '2026-01-06T00:00:00.000Z', upvotes: 1 }),
      paper('2601.00005', { dailyPapersAt: '2026-01-02T00:00:00.000Z', upvotes: 99 }),
      paper('2601.00006'),
    ]);
    expect(await repository.newestDay()).toBe('2026-01-06');
    const between = await repository.papersBetween('2026-01-05', '2026-01-06');
    expect(between.map((stored) => stored.id)).toEqual([
      '2601.00004',
      '2601.00002',
      '2601.00003',
      '2601.00001',
    ]);
  });

  it('has no newest day when empty', async () => {
    expect(await repository.newestDay()).toBeUndefined();
    expect(await repository.count()).toBe(0);
  });
}
