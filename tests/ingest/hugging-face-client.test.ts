import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HuggingFaceClient } from '../../src/ingest/hugging-face-client.ts';
import { FeedServer } from '../fakes/feed-server.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import {
  dailyPapersRoute,
  HF_DAY_0612,
  HF_DAY_0731,
  HF_TWO_DAYS_0713,
  hfFixture,
  instantHttp,
} from './ingest-fixtures.ts';

type RawItem = {
  numComments: number;
  paper: Record<string, unknown> & { id: string; authors: { name: string }[] };
};

describe('HuggingFaceClient', () => {
  let server: FeedServer;
  beforeEach(async () => {
    server = await FeedServer.start(
      dailyPapersRoute({ '2026-06-12': hfFixture(HF_DAY_0612), '2026-07-31': hfFixture(HF_DAY_0731) }),
    );
  });
  afterEach(() => server.close());
  const client = (options: Partial<ConstructorParameters<typeof HuggingFaceClient>[0]> = {}) =>
    new HuggingFaceClient({ baseUrl: `${server.url}/`, http: instantHttp(), ...options });

  it('maps every field of a full recorded day', async () => {
    const result = await client().fetchDay('2026-06-12');
    const raw = JSON.parse(hfFixture(HF_DAY_0612)) as RawItem[];
    expect(result.fetched).toBe(30);
    expect(result.skipped).toEqual([]);
    expect(result.papers).toHaveLength(30);
    result.papers.forEach((paper, position) => {
      const item = raw[position]!;
      const source = item.paper;
      expect(paper).toMatchObject({
        id: source.id,
        title: String(source.title).replace(/\s+/g, ' ').trim(),
        abstract: String(source.summary).replace(/\s+/g, ' ').trim(),
        authors: source.authors.map((author) => author.name.trim()),
        publishedAt: source.publishedAt,
        dailyPapersAt: source.submittedOnDailyAt,
        upvotes: source.upvotes,
        commentsCount: item.numComments,
        trendingRank: position + 1,
        source: 'hf',
      });
      expect(paper.aiSummary).toBe(source.ai_summary);
      expect(paper.aiKeywords).toEqual(source.ai_keywords);
      expect(paper.githubRepo).toBe(source.githubRepo);
      expect(paper.githubStars).toBe(source.githubStars);
      expect(paper.projectPage).toBe(source.projectPage);
      expect(paper.links).toMatchObject({
        abs: `https://arxiv.org/abs/${source.id}`,
        pdf: `https://arxiv.org/pdf/${source.id}`,
        huggingFace: `https://huggingface.co/papers/${source.id}`,
        ...(source.githubRepo ? { code: source.githubRepo } : {}),
      });
    });
    // The fixture's first item, spelled out.
    expect(result.papers[0]).toMatchObject({
      id: '2606.00467',
      upvotes: 0,
      commentsCount: 2,
      dailyPapersAt: '2026-06-12T00:00:00.000Z',
      publishedAt: '2026-05-30T00:00:00.000Z',
    });
    expect(result.papers.filter((paper) => paper.githubStars !== undefined)).toHaveLength(16);
    expect(result.papers.filter((paper) => paper.projectPage)).toHaveLength(13);
  });

  it('asks for the day, trending order and pages, at the configured base URL', async () => {
    await client({ pageSize: 30 }).fetchDay('2026-06-12');
    expect(server.requests.map((request) => Object.fromEntries(request.query))).toEqual([
      { date: '2026-06-12', sort: 'trending', p: '0', limit: '30' },
      { date: '2026-06-12', sort: 'trending', p: '1', limit: '30' },
    ]);
    expect(server.requests[0]!.path).toBe('/api/daily_papers');
  });

  it('ranks across pages and drops an id repeated on the next page', async () => {
    const items = JSON.parse(hfFixture(HF_DAY_0612)) as unknown[];
    server.setRoute((request) => {
      const page = Number(request.query.get('p'));
      const slice = page === 0 ? items.slice(0, 10) : page === 1 ? items.slice(9, 19) : [];
      return { body: JSON.stringify(slice) };
    });
    const result = await client({ pageSize: 10 }).fetchDay('2026-06-12');
    expect(result.papers.map((paper) => paper.trendingRank)).toEqual(
      Array.from({ length: 19 }, (_, n) => n + 1),
    );
  });

  it('leaves out AI fields on a day that has none', async () => {
    const result = await client().fetchDay('2026-07-31', { sort: 'publishedAt' });
    expect(result.papers).toHaveLength(30);
    for (const paper of result.papers) {
      expect(paper).not.toHaveProperty('aiSummary');
      expect(paper).not.toHaveProperty('aiKeywords');
      expect(paper).not.toHaveProperty('trendingRank');
    }
  });

  it('treats null as absent and skips malformed items with a warning naming each', async () => {
    const [first, second, third] = JSON.parse(hfFixture(HF_DAY_0612)) as RawItem[];
    const nulls = {
      ...first!,
      paper: { ...first!.paper, githubRepo: null, upvotes: null, ai_keywords: null },
    };
    const noAbstract = { ...second!, paper: { ...second!.paper, summary: null } };
    const notArxiv = { ...third!, paper: { ...third!.paper, id: 'my-blog-post' } };
    server.setRoute(() => ({ body: JSON.stringify([nulls, noAbstract, 'junk', notArxiv, { title: 'x' }]) }));
    const { logger, warnings } = recordingLogger();
    const result = await client({ logger }).fetchDay('2026-06-12');
    expect(result.papers.map((paper) => paper.id)).toEqual([first!.paper.id]);
    expect(result.papers[0]).not.toHaveProperty('githubRepo');
    expect(result.papers[0]).not.toHaveProperty('upvotes');
    expect(result.papers[0]).not.toHaveProperty('aiKeywords');
    expect(result.skipped).toEqual([
      { item: `item 2 (${second!.paper.id})`, reason: 'abstract: abstract is empty' },
      { item: 'item 3', reason: 'not a JSON object' },
      { item: 'item 4 (my-blog-post)', reason: 'paper.id "my-blog-post" is not an arXiv id' },
      { item: 'item 5', reason: 'no "paper" object' },
    ]);
    expect(warnings().map((line) => line.item)).toEqual(result.skipped.map((item) => item.item));
  });

  it('returns no papers for an empty weekend day', async () => {
    const result = await client().fetchDay('2026-06-13');
    expect(result).toEqual({ papers: [], skipped: [], fetched: 0 });
  });

  it('says a day is not published yet when Hugging Face answers 400', async () => {
    server.setRoute(() => ({ status: 400, body: '{"error":"date in the future"}' }));
    await expect(client().fetchDay('2099-01-01')).rejects.toMatchObject({
      code: 'HF_DAY_NOT_PUBLISHED',
      message: expect.stringContaining('2099-01-01'),
    });
  });

  it('keeps each paper in its own day when the latest list spans two days', async () => {
    server.setRoute(() => ({ body: hfFixture(HF_TWO_DAYS_0713) }));
    const result = await client().fetchLatest({ sort: 'trending' });
    const days = new Map<string, number[]>();
    for (const paper of result.papers) {
      const day = paper.dailyPapersAt!.slice(0, 10);
      days.set(day, [...(days.get(day) ?? []), paper.trendingRank!]);
    }
    expect([...days.keys()].sort()).toEqual(['2026-07-10', '2026-07-13']);
    expect(days.get('2026-07-13')).toEqual(Array.from({ length: 14 }, (_, n) => n + 1));
    expect(days.get('2026-07-10')).toEqual(Array.from({ length: 11 }, (_, n) => n + 1));
    expect(result.papers.filter((paper) => paper.aiSummary)).toHaveLength(10);
  });

  it('maps the unwrapped /api/papers/{id} object, keeping the literal \\$ in the abstract', () => {
    const item = JSON.parse(hfFixture('papers-2608.09888.json'));
    const result = client().mapItems([item]);
    expect(result.papers[0]).toMatchObject({ id: '2608.09888', source: 'hf' });
    expect(result.papers[0]!.abstract).toContain('\\$0.0007');
    expect(result.papers[0]).not.toHaveProperty('commentsCount');
  });
});
