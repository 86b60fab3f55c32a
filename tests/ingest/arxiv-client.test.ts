import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArxivFeed } from '../../src/ingest/arxiv-atom.ts';
import { ArxivClient, arxivSearchQuery } from '../../src/ingest/arxiv-client.ts';
import { createHttpClient } from '../../src/ingest/http-client.ts';
import { FeedServer } from '../fakes/feed-server.ts';
import { ARXIV_0713, ARXIV_CURRENT, ARXIV_LEGACY, arxivFixture, instantHttp } from './ingest-fixtures.ts';

const EMPTY_FEED = `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <opensearch:totalResults>5</opensearch:totalResults><opensearch:startIndex>5</opensearch:startIndex>
</feed>`;

describe('parseArxivFeed', () => {
  it('reads the legacy format: hard-wrapped title and summary, offset times, versioned ids', () => {
    const page = parseArxivFeed(arxivFixture(ARXIV_LEGACY));
    expect(page).toMatchObject({ entries: 2, totalResults: 5619, startIndex: 0, skipped: [] });
    const [first] = page.papers;
    expect(first).toMatchObject({
      id: '2510.14968',
      title: 'RDD: Retrieval-Based Demonstration Decomposer for Planner Alignment in Long-Horizon Tasks',
      publishedAt: '2025-10-16T17:59:37.000Z',
      source: 'arxiv',
      links: { abs: 'http://arxiv.org/abs/2510.14968', pdf: 'http://arxiv.org/pdf/2510.14968' },
    });
    expect(first!.abstract).toMatch(
      /^To tackle long-horizon tasks, recent hierarchical vision-language-action \(VLAs\)/,
    );
    expect(first!.abstract).not.toMatch(/\n| {2}/);
    expect(first!.authors!.length).toBeGreaterThan(0);
  });

  it('reads the current format and strips any version from ids', () => {
    const xml = arxivFixture(ARXIV_CURRENT);
    const ids = parseArxivFeed(xml).papers.map((paper) => paper.id);
    expect(ids).toHaveLength(5);
    expect(ids[0]).toBe('2606.13677');
    // Later versions (v2, v12) normalise to the same keys.
    const bumped = parseArxivFeed(xml.replace(/(abs\/\d{4}\.\d{5})v1</g, '$1v12<'));
    expect(bumped.papers.map((paper) => paper.id)).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^\d{4}\.\d{5}$/);
  });

  it('finds elements by namespace whatever the prefix', () => {
    const xml = arxivFixture(ARXIV_LEGACY)
      .replace('<feed xmlns="http://www.w3.org/2005/Atom">', '<a:feed xmlns:a="http://www.w3.org/2005/Atom">')
      .replace('</feed>', '</a:feed>')
      .replace(/<(\/?)(entry|id|title|summary|published|author|name|link)\b/g, '<$1a:$2');
    expect(parseArxivFeed(xml).papers.map((paper) => paper.id)).toEqual(
      parseArxivFeed(arxivFixture(ARXIV_LEGACY)).papers.map((paper) => paper.id),
    );
  });

  it('throws on a truncated feed and on arXiv error entries', () => {
    const xml = arxivFixture(ARXIV_CURRENT);
    expect(() => parseArxivFeed(xml.slice(0, xml.length / 2))).toThrow(/not well-formed XML/);
    const error = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id><title>Error</title><summary>incorrect id format for 1234</summary></entry></feed>`;
    expect(() => parseArxivFeed(error)).toThrow(expect.objectContaining({ code: 'ARXIV_QUERY_ERROR' }));
  });
});

describe('ArxivClient', () => {
  let server: FeedServer;
  beforeEach(async () => {
    server = await FeedServer.start((request) => ({
      headers: { 'content-type': 'application/atom+xml' },
      body: Number(request.query.get('start')) === 0 ? arxivFixture(ARXIV_CURRENT) : EMPTY_FEED,
    }));
  });
  afterEach(() => server.close());

  it('builds a submittedDate range around the query', () => {
    expect(arxivSearchQuery({ query: 'cat:cs.CL', since: '2025-06-01', until: '2025-06-03' })).toBe(
      '(cat:cs.CL) AND submittedDate:[202506010000 TO 202506032359]',
    );
    expect(() => arxivSearchQuery({ since: '1 June' })).toThrow(/not YYYY-MM-DD/);
  });

  it('pages through results, one request per 3 s at most', async () => {
    let now = 0;
    const starts: number[] = [];
    const http = createHttpClient({
      clock: { now: () => now },
      sleep: async (ms) => {
        now += ms;
      },
      fetch: (input, init) => {
        starts.push(now);
        return fetch(input, init);
      },
    });
    server.setRoute((request) => {
      const start = Number(request.query.get('start'));
      return { body: start < 5 ? arxivFixture(ARXIV_CURRENT).replace(/v1</g, `v${start + 1}<`) : EMPTY_FEED };
    });
    const client = new ArxivClient({ baseUrl: server.url, http, pageSize: 2 });
    const result = await client.fetch({ query: 'cat:cs.LG', since: '2026-06-01', max: 6 });
    // The server ignores max_results and sends 5 entries, so the next page starts at 5 (and is empty).
    expect(server.requests.map((request) => request.query.get('start'))).toEqual(['0', '5']);
    expect(result.papers).toHaveLength(5);
    expect(result.fetched).toBe(5);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(3_000);
    const query = server.requests[0]!.query;
    expect(query.get('search_query')).toBe('(cat:cs.LG) AND submittedDate:[202606010000 TO 999912312359]');
    expect(query.get('sortBy')).toBe('submittedDate');
    expect(query.get('max_results')).toBe('2');
  });

  it('fetches by id_list', async () => {
    server.setRoute(() => ({ body: arxivFixture(ARXIV_0713) }));
    const client = new ArxivClient({ baseUrl: server.url, http: instantHttp(), minIntervalMs: 0 });
    const result = await client.fetch({ ids: ['2607.09424v2', '2607.09657'] });
    expect(server.requests[0]!.query.get('id_list')).toBe('2607.09424v2,2607.09657');
    expect(result.papers.length).toBe(50);
  });

  it('refuses a request with nothing to search', async () => {
    const client = new ArxivClient({ baseUrl: server.url, http: instantHttp() });
    await expect(client.fetch({})).rejects.toMatchObject({ code: 'ARXIV_BAD_REQUEST' });
  });
});
