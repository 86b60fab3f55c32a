import { expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.ts';
import type { TrendingPapers } from '../../src/trending/trending-papers.ts';
import { openForEachTest } from './contract-setup.ts';

/** Trending queries over an empty `papers` table, and how ingest adds papers to it. */
export interface OpenedTrendingPapers {
  papers: TrendingPapers;
  /** Upserts papers the way ingest does (JSON plus the indexed `daily_date` and `upvotes`). */
  add(papers: Paper[]): Promise<void>;
  close(): Promise<void>;
}

const daily = (id: string, day: string, upvotes?: number): Paper => ({
  id,
  title: `Paper ${id}`,
  abstract: `Abstract of ${id}.`,
  dailyPapersAt: `${day}T08:30:00.000Z`,
  ...(upvotes === undefined ? {} : { upvotes }),
  source: 'hf',
});

/** The behaviour every `TrendingPapers` must have, on either backend. */
export function trendingPapersContract(open: () => Promise<OpenedTrendingPapers>): void {
  let opened: OpenedTrendingPapers;
  openForEachTest(open, (value) => {
    opened = value;
  });

  it('has no newest day without Daily-Papers days', async () => {
    await opened.add([{ id: 'seed-001', title: 'Seed', abstract: 'A seed paper.' }]);
    expect(await opened.papers.newestDay()).toBeUndefined();
    expect(await opened.papers.papersBetween('2000-01-01', '2100-01-01')).toEqual([]);
  });

  it('finds the newest day, at or before a day, and the papers of a range of days', async () => {
    await opened.add([
      daily('2606.00001', '2026-06-01', 5),
      daily('2606.00002', '2026-06-01'),
      daily('2606.00003', '2026-06-03', 9),
      daily('2606.00004', '2026-06-10', 1),
      { id: 'seed-001', title: 'Seed', abstract: 'A seed paper.' },
    ]);
    expect(await opened.papers.newestDay()).toBe('2026-06-10');
    expect(await opened.papers.newestDay('2026-06-09')).toBe('2026-06-03');
    expect(await opened.papers.newestDay('2026-06-03')).toBe('2026-06-03');
    expect(await opened.papers.newestDay('2026-05-31')).toBeUndefined();
    const between = await opened.papers.papersBetween('2026-06-01', '2026-06-03');
    expect(between.map((paper) => paper.id).sort()).toEqual(['2606.00001', '2606.00002', '2606.00003']);
    const first = between.find((paper) => paper.id === '2606.00001');
    expect(first).toMatchObject({
      dailyPapersAt: '2026-06-01T08:30:00.000Z',
      upvotes: 5,
      title: 'Paper 2606.00001',
    });
    expect(between.find((paper) => paper.id === '2606.00002')?.upvotes).toBeUndefined();
  });

  it('sees refreshed upvotes and a paper moved to a later day', async () => {
    await opened.add([daily('2606.00001', '2026-06-01', 5)]);
    await opened.add([daily('2606.00001', '2026-06-02', 42)]);
    expect(await opened.papers.papersBetween('2026-06-01', '2026-06-01')).toEqual([]);
    const [moved] = await opened.papers.papersBetween('2026-06-02', '2026-06-02');
    expect(moved).toMatchObject({ id: '2606.00001', upvotes: 42, dailyPapersAt: '2026-06-02T08:30:00.000Z' });
  });
}
