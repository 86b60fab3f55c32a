import type { Paper } from '../corpus/paper.ts';
import { PaperbotError } from '../errors.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { parseArxivFeed } from './arxiv-atom.ts';
import type { HttpClient } from './http-client.ts';
import type { FeedResult, SkippedItem } from './hugging-face-client.ts';

/** What to fetch from the arXiv API: a search (optionally within submission dates) or ids. */
export interface ArxivRequest {
  /** arXiv search syntax, e.g. `cat:cs.CL` or `all:transformer AND cat:cs.LG`. */
  query?: string;
  /** arXiv ids (versions allowed); fetched in batches. Used when `query` is absent. */
  ids?: string[];
  /** First submission day, `YYYY-MM-DD` (UTC, inclusive). */
  since?: string;
  /** Last submission day, `YYYY-MM-DD` (UTC, inclusive; default: `since` onward without bound). */
  until?: string;
  /** Most results to fetch (default 1,000). */
  max?: number;
}

export interface ArxivClientOptions {
  /** `ARXIV_API_URL`, e.g. `https://export.arxiv.org`. */
  baseUrl: string;
  http: HttpClient;
  logger?: Logger;
  /** Results per request (default 100; arXiv allows 2,000). */
  pageSize?: number;
  /** Minimum time between requests in ms (default 3,000, arXiv's terms of use). */
  minIntervalMs?: number;
}

const HINT = 'Check ARXIV_API_URL and the network, or try again later.';
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ID_BATCH = 100;

/** `2025-06-01` -> `202506010000` (start of day) or `202506012359` (end of day). */
function arxivTime(day: string, endOfDay: boolean): string {
  if (!DAY.test(day)) {
    throw new PaperbotError(
      'ARXIV_BAD_DATE',
      `Date "${day}" is not YYYY-MM-DD. Pass e.g. --since 2025-06-01.`,
    );
  }
  return `${day.replaceAll('-', '')}${endOfDay ? '2359' : '0000'}`;
}

/** The `search_query` for a request: the query, restricted to a `submittedDate` range when given. */
export function arxivSearchQuery(request: Pick<ArxivRequest, 'query' | 'since' | 'until'>): string {
  const parts: string[] = [];
  if (request.query?.trim()) parts.push(`(${request.query.trim()})`);
  if (request.since || request.until) {
    const from = request.since ? arxivTime(request.since, false) : '199101010000';
    const to = request.until ? arxivTime(request.until, true) : '999912312359';
    parts.push(`submittedDate:[${from} TO ${to}]`);
  }
  return parts.join(' AND ');
}

/** Client of the arXiv API (`/api/query`, Atom), at most one request per `minIntervalMs`. */
export class ArxivClient {
  private readonly baseUrl: string;
  private readonly logger: Logger;

  constructor(private readonly options: ArxivClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.logger = options.logger ?? silentLogger();
  }

  /** The request URL for one page. */
  queryUrl(parameters: {
    searchQuery?: string;
    idList?: string[];
    start: number;
    maxResults: number;
  }): string {
    const url = new URL(`${this.baseUrl}/api/query`);
    if (parameters.searchQuery) url.searchParams.set('search_query', parameters.searchQuery);
    if (parameters.idList?.length) url.searchParams.set('id_list', parameters.idList.join(','));
    url.searchParams.set('start', String(parameters.start));
    url.searchParams.set('max_results', String(parameters.maxResults));
    if (parameters.searchQuery) {
      url.searchParams.set('sortBy', 'submittedDate');
      url.searchParams.set('sortOrder', 'descending');
    }
    return url.toString();
  }

  /**
   * Fetches every result of `request` (up to `max`), page by page, newest submissions first.
   * Throws `ARXIV_BAD_REQUEST` when neither a query, dates nor ids are given.
   */
  async fetch(request: ArxivRequest, onPage?: (fetched: number, total: number) => void): Promise<FeedResult> {
    const searchQuery = arxivSearchQuery(request);
    const ids = request.ids?.filter((id) => id.trim()) ?? [];
    if (!searchQuery && ids.length === 0) {
      throw new PaperbotError(
        'ARXIV_BAD_REQUEST',
        'An arXiv ingest needs --query, --since or --ids (e.g. --query cat:cs.CL --since 2025-06-01).',
      );
    }
    const papers = new Map<string, Paper>();
    const skipped: SkippedItem[] = [];
    let fetched = 0;
    const collect = (page: ReturnType<typeof parseArxivFeed>) => {
      fetched += page.entries;
      for (const paper of page.papers) if (!papers.has(paper.id)) papers.set(paper.id, paper);
      for (const item of page.skipped) {
        skipped.push(item);
        this.logger.warn({ item: item.item, reason: item.reason }, 'skipped an arXiv entry');
      }
    };
    if (!searchQuery) {
      for (let start = 0; start < ids.length; start += ID_BATCH) {
        const idList = ids.slice(start, start + ID_BATCH);
        collect(await this.page({ idList, start: 0, maxResults: idList.length }));
        onPage?.(fetched, ids.length);
      }
      return { papers: [...papers.values()], skipped, fetched };
    }
    const max = request.max ?? 1_000;
    const pageSize = Math.min(this.options.pageSize ?? 100, 2_000);
    for (let start = 0; start < max; ) {
      const page = await this.page({
        searchQuery,
        idList: ids,
        start,
        maxResults: Math.min(pageSize, max - start),
      });
      collect(page);
      onPage?.(fetched, Math.min(max, page.totalResults));
      if (page.entries === 0) break;
      start += page.entries;
      if (start >= page.totalResults) break;
    }
    return { papers: [...papers.values()], skipped, fetched };
  }

  private page(parameters: Parameters<ArxivClient['queryUrl']>[0]) {
    return this.options.http.get(this.queryUrl(parameters), parseArxivFeed, {
      accept: 'application/atom+xml',
      minIntervalMs: this.options.minIntervalMs ?? 3_000,
      hint: HINT,
    });
  }
}
