import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runTrending } from '../../adapters/cli/commands/trending.ts';
import { createTrendingService } from '../../src/trending/trending-service.ts';
import { insertPapers, papersFromHfFixture, tempDatabase } from './trending-fixtures.ts';

const FIXTURE = fileURLToPath(
  new URL('../fixtures/hf/daily_papers-limit30-2026-07-31.json', import.meta.url),
);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function trending(args: string[]) {
  const store = tempDatabase();
  cleanups.push(store.cleanup);
  insertPapers(store.database, papersFromHfFixture(FIXTURE));
  const service = createTrendingService({ database: store.database });
  let out = '';
  let err = '';
  const code = await runTrending(
    args,
    { out: (text) => (out += text), err: (text) => (err += text) },
    async () => (options) => service.trendingDigest(options),
  );
  return { code, out, err };
}

describe('paperbot trending', () => {
  it('prints the newest fixture day as JSON in the documented shape', async () => {
    const { code, out } = await trending(['--json']);
    expect(code).toBe(0);
    const digest = JSON.parse(out);
    expect(digest.date).toBe('2026-07-31');
    expect(digest.items).toHaveLength(5);
    for (const [index, item] of digest.items.entries()) {
      expect(item).toMatchObject({ rank: index + 1, paperId: expect.stringMatching(/^\d{4}\.\d{5}$/) });
      expect(item.title.length).toBeGreaterThan(10);
      expect(item.summary.length).toBeGreaterThan(20);
      expect(item.links.abs).toBe(`https://arxiv.org/abs/${item.paperId}`);
    }
    // The day's most upvoted papers (292, 283, 168 votes) lead.
    expect(digest.items.slice(0, 3).map((item: { upvotes: number }) => item.upvotes)).toEqual([
      292, 283, 168,
    ]);
  });

  it('prints a readable digest with topic filtering and a limit', async () => {
    const { code, out } = await trending(['--keywords', 'agent*', '--limit', '3']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Trending papers on "agent\*" · 2026-07-31\n\n1\. /);
    expect(out).toContain('arXiv https://arxiv.org/abs/');
    const titles = out.split('\n').filter((line) => /^\d\. /.test(line));
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.length).toBeLessThanOrEqual(3);
  });

  it('says so for a day without papers, and rejects a malformed date', async () => {
    const empty = await trending(['--date', '2026-08-01']);
    expect(empty.out).toContain('No trending papers for 2026-08-01');
    const bad = await trending(['--date', '31.07.2026']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('YYYY-MM-DD');
  });
});
