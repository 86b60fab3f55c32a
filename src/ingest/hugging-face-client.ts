import type { Paper } from '../corpus/paper.ts';
import { PaperbotError } from '../errors.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { type HttpClient, HttpRequestError } from './http-client.ts';
import { mapDailyPaper } from './hugging-face-paper.ts';

/** Query parameters of `GET /api/daily_papers`; give at most one of `date`, `week`, `month`. */
export interface DailyPapersQuery {
  /** A Daily-Papers day, `YYYY-MM-DD`. */
  date?: string;
  /** An ISO week, `YYYY-Www`. */
  week?: string;
  /** A month, `YYYY-MM`. */
  month?: string;
  /** `publishedAt` (the API's default) or `trending`. */
  sort?: 'publishedAt' | 'trending';
  /** 0-based page number. */
  p?: number;
  /** Items per page (the API's default is 50). */
  limit?: number;
}

/** An item of a response that could not be used, and why. */
export interface SkippedItem {
  /** Which item: position and id when known, e.g. `item 3 (2606.00467)`. */
  item: string;
  reason: string;
}

/** Papers read from one or more pages. */
export interface FeedResult {
  /** Good papers, deduplicated by id, in feed order. */
  papers: Paper[];
  /** Items skipped (malformed), each with its reason; already logged as warnings. */
  skipped: SkippedItem[];
  /** Items received, skipped ones included. */
  fetched: number;
}

export interface HuggingFaceClientOptions {
  /** `HF_API_URL`, e.g. `https://huggingface.co`. */
  baseUrl: string;
  http: HttpClient;
  logger?: Logger;
  /** Items per page when reading a whole day (default 100). */
  pageSize?: number;
  /** Pages read at most per day (default 10). */
  maxPages?: number;
}

const HINT = 'Check HF_API_URL and the network, or try again later.';

/** Client of Hugging Face Daily Papers (`/api/daily_papers`). */
export class HuggingFaceClient {
  private readonly baseUrl: string;
  private readonly logger: Logger;

  constructor(private readonly options: HuggingFaceClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.logger = options.logger ?? silentLogger();
  }

  /** The request URL for `query`. */
  dailyPapersUrl(query: DailyPapersQuery): string {
    const url = new URL(`${this.baseUrl}/api/daily_papers`);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  /**
   * One page of raw items. Throws `HF_DAY_NOT_PUBLISHED` when Hugging Face answers 400 to a
   * `date` (it does for days after the newest published one), `HF_BAD_RESPONSE` when the body is
   * not an array, and the HTTP client's errors otherwise.
   */
  async fetchPage(query: DailyPapersQuery): Promise<unknown[]> {
    const url = this.dailyPapersUrl(query);
    try {
      return await this.options.http.get(
        url,
        (body) => {
          const value = JSON.parse(body) as unknown;
          if (!Array.isArray(value)) throw new Error(`expected a JSON array, got ${typeof value}`);
          return value;
        },
        { accept: 'application/json', hint: HINT },
      );
    } catch (error) {
      if (error instanceof HttpRequestError && error.status === 400 && query.date) {
        throw new PaperbotError(
          'HF_DAY_NOT_PUBLISHED',
          `Hugging Face has no Daily Papers list for ${query.date} (HTTP 400 from ${url}); the day is probably not published yet. Try an earlier --date.`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  /**
   * Every paper of one Daily-Papers day, reading pages until a short one. With `sort: 'trending'`
   * (the default) each paper gets `trendingRank`, its 1-based position in the day's list. A
   * weekend or holiday gives no papers.
   */
  async fetchDay(
    date: string,
    options: { sort?: 'publishedAt' | 'trending'; signal?: AbortSignal } = {},
  ): Promise<FeedResult> {
    const sort = options.sort ?? 'trending';
    const pageSize = this.options.pageSize ?? 100;
    const items: unknown[] = [];
    for (let page = 0; page < (this.options.maxPages ?? 10); page++) {
      const batch = await this.fetchPage({ date, sort, p: page, limit: pageSize });
      items.push(...batch);
      if (batch.length < pageSize) break;
    }
    return this.mapItems(items, { requestedDate: date, ranked: sort === 'trending' });
  }

  /**
   * The newest `limit` items without a date (they can span two days; each paper keeps its own
   * Daily-Papers day). Ranks are per day when `sort` is `trending`.
   */
  async fetchLatest(
    options: { limit?: number; sort?: 'publishedAt' | 'trending' } = {},
  ): Promise<FeedResult> {
    const items = await this.fetchPage({ sort: options.sort, limit: options.limit ?? 100 });
    return this.mapItems(items, { ranked: options.sort === 'trending' });
  }

  /**
   * Maps raw items, skipping (and logging) malformed ones and repeated ids. With `ranked`, each
   * paper's `trendingRank` is its 1-based position among the kept papers of its Daily-Papers day.
   */
  mapItems(items: unknown[], options: { requestedDate?: string; ranked?: boolean } = {}): FeedResult {
    const papers: Paper[] = [];
    const skipped: SkippedItem[] = [];
    const seen = new Set<string>();
    const rankByDay = new Map<string, number>();
    items.forEach((item, position) => {
      const mapped = mapDailyPaper(item, { position, requestedDate: options.requestedDate });
      if (!mapped.ok) {
        skipped.push({ item: mapped.item, reason: mapped.reason });
        this.logger.warn({ item: mapped.item, reason: mapped.reason }, 'skipped a Daily-Papers item');
        return;
      }
      // Pages can overlap when the list moves between requests: the first sighting wins.
      if (seen.has(mapped.paper.id)) return;
      seen.add(mapped.paper.id);
      if (options.ranked) {
        const day = mapped.paper.dailyPapersAt?.slice(0, 10) ?? '';
        const rank = (rankByDay.get(day) ?? 0) + 1;
        rankByDay.set(day, rank);
        mapped.paper.trendingRank = rank;
      }
      papers.push(mapped.paper);
    });
    return { papers, skipped, fetched: items.length };
  }
}
