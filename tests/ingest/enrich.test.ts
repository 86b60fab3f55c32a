import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.ts';
import { ArxivClient } from '../../src/ingest/arxiv-client.ts';
import {
  enrichPapers,
  normalizeTitle,
  papersWithoutArxivId,
  titleQuery,
  titleSimilarity,
} from '../../src/ingest/enrich.ts';
import { FeedServer } from '../fakes/feed-server.ts';
import { ARXIV_CURRENT, arxivFixture, instantHttp } from './ingest-fixtures.ts';

// ARXIV_CURRENT (recorded) holds 2606.13677 "Mana: Dexterous Manipulation of Articulated Tools" and
// "GF-DiT: Scheduling Parallelism for Diffusion Transformer Serving" among its five entries.
const paper = (id: string, title: string, extra: Partial<Paper> = {}): Paper => ({
  id,
  title,
  abstract: 'An abstract.',
  ...extra,
});

describe('enrich: arXiv ids by title', () => {
  let server: FeedServer;
  let client: ArxivClient;
  beforeEach(async () => {
    server = await FeedServer.start(() => ({ body: arxivFixture(ARXIV_CURRENT) }));
    client = new ArxivClient({ baseUrl: server.url, http: instantHttp(), minIntervalMs: 0 });
  });
  afterEach(() => server.close());

  it('normalises titles and scores them by edit distance', () => {
    expect(normalizeTitle('GF-DiT: Scheduling  Parallelism for $\\mathcal{D}$iffusion')).toBe(
      'gf dit scheduling parallelism for d iffusion',
    );
    expect(titleSimilarity('Attention Is All You Need', 'attention is all you need.')).toBe(1);
    expect(titleSimilarity('Attention Is All You Need', 'Attention Is Not All You Need')).toBeLessThan(0.9);
    expect(titleQuery('Mana: Dexterous Manipulation')).toBe('ti:"mana dexterous manipulation"');
  });

  it('accepts only a confident title match, fills what is missing, and leaves other papers alone', async () => {
    const papers = [
      paper('seed-201', 'GF-DiT: Scheduling Parallelism for Diffusion Transformers Serving', {
        authors: ['Kept Author'],
      }),
      paper('seed-202', 'Scheduling Parallelism for Diffusion Models'),
      paper('seed-203', 'Mana: Dexterous Manipulation of Articulated Tools'),
      paper('seed-204', 'Already linked', { arxivId: '2401.01234' }),
    ];
    const todo = papersWithoutArxivId(papers);
    expect(todo.map((entry) => entry.id)).toEqual(['seed-201', 'seed-202', 'seed-203']);
    const results = await enrichPapers(todo, client, { known: new Map([['2606.13677', 'seed-050']]) });
    // The client puts the query in parentheses (it may add a date range).
    expect(server.requests.map((request) => request.query.get('search_query'))).toEqual([
      '(ti:"gf dit scheduling parallelism for diffusion transformers serving")',
      '(ti:"scheduling parallelism for diffusion models")',
      '(ti:"mana dexterous manipulation of articulated tools")',
    ]);
    const [gfdit, loose, taken] = results;
    expect(gfdit).toMatchObject({ status: 'matched', arxivTitle: expect.stringMatching(/^GF-DiT/) });
    expect(gfdit!.similarity).toBeGreaterThanOrEqual(0.9);
    expect(gfdit!.fills).toMatchObject({
      arxivId: gfdit!.arxivId,
      publishedAt: expect.stringMatching(/^2026-06/),
      links: { abs: expect.stringContaining(gfdit!.arxivId!) },
    });
    // The paper's own authors are kept; only missing fields are filled.
    expect(gfdit!.fills!.authors).toBeUndefined();
    expect(gfdit!.paper).toMatchObject({ id: 'seed-201', authors: ['Kept Author'], arxivId: gfdit!.arxivId });
    expect(loose).toMatchObject({ status: 'no-match', arxivTitle: expect.stringMatching(/^GF-DiT/) });
    expect(loose!.similarity).toBeLessThan(0.9);
    expect(loose!.paper).toBeUndefined();
    expect(taken).toMatchObject({
      status: 'taken',
      arxivId: '2606.13677',
      reason: 'already in the corpus as seed-050',
    });
  });

  it('reports a failed lookup and goes on with the next paper', async () => {
    server.setRoute((request) =>
      request.query.get('search_query')?.includes('broken')
        ? { status: 400, body: 'bad query' }
        : { body: arxivFixture(ARXIV_CURRENT) },
    );
    const results = await enrichPapers(
      [paper('a', 'broken title'), paper('b', 'Mana: Dexterous Manipulation of Articulated Tools')],
      client,
    );
    expect(results.map((result) => result.status)).toEqual(['failed', 'matched']);
    expect(results[0]!.reason).toBeTruthy();
  });
});
