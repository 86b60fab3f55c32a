import type { Paper } from '../corpus/paper.ts';
import { describeError, hasCode, PaperbotError } from '../errors.ts';
import type { HuggingFaceClient, SkippedItem } from './hugging-face-client.ts';

/** A request that failed after its retries; the run went on without it. */
export interface FailedRequest {
  /** What was asked, e.g. `hf 2025-06-12`. */
  request: string;
  reason: string;
  /** The error code, e.g. `HTTP_STATUS`. */
  code: string;
}

/** Papers gathered from one or more requests, and what went wrong on the way. */
export interface FeedReport {
  papers: Paper[];
  /** Items received, malformed ones included. */
  fetched: number;
  skipped: SkippedItem[];
  failed: FailedRequest[];
  /** Days Hugging Face has not published yet (HTTP 400 to `date=`). */
  notPublished: string[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 366;

/** Every UTC day from `since` to `until` inclusive (`YYYY-MM-DD`); throws INGEST_BAD_DATES on bad input. */
export function daysBetween(since: string, until: string): string[] {
  for (const day of [since, until]) {
    if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
      throw new PaperbotError(
        'INGEST_BAD_DATES',
        `Date "${day}" is not a YYYY-MM-DD day. Example: 2025-06-12.`,
      );
    }
  }
  const start = Date.parse(`${since}T00:00:00Z`);
  const end = Date.parse(`${until}T00:00:00Z`);
  if (end < start) {
    throw new PaperbotError('INGEST_BAD_DATES', `--until ${until} is before --since ${since}. Swap them.`);
  }
  const count = Math.round((end - start) / 86_400_000) + 1;
  if (count > MAX_DAYS) {
    throw new PaperbotError(
      'INGEST_BAD_DATES',
      `${since}..${until} spans ${count} days; at most ${MAX_DAYS} per run. Split the range.`,
    );
  }
  return Array.from({ length: count }, (_, offset) =>
    new Date(start + offset * 86_400_000).toISOString().slice(0, 10),
  );
}

/**
 * Fetches Daily-Papers days one after another. A failed day is recorded and the others still
 * come in; a day not published yet is noted, not failed. Duplicate ids across days keep the last.
 */
export async function fetchHuggingFaceDays(
  client: HuggingFaceClient,
  days: readonly string[],
  options: { sort?: 'publishedAt' | 'trending'; onDay?: (done: number, total: number) => void } = {},
): Promise<FeedReport> {
  const report: FeedReport = { papers: [], fetched: 0, skipped: [], failed: [], notPublished: [] };
  const byId = new Map<string, Paper>();
  for (const [position, day] of days.entries()) {
    try {
      const result = await client.fetchDay(day, { sort: options.sort });
      report.fetched += result.fetched;
      report.skipped.push(...result.skipped.map((item) => ({ ...item, item: `${day} ${item.item}` })));
      for (const paper of result.papers) byId.set(paper.id, paper);
    } catch (error) {
      if (hasCode(error, 'HF_DAY_NOT_PUBLISHED')) report.notPublished.push(day);
      else
        report.failed.push({
          request: `hf ${day}`,
          reason: describeError(error),
          code: error instanceof PaperbotError ? error.code : 'UNEXPECTED',
        });
    }
    options.onDay?.(position + 1, days.length);
  }
  report.papers = [...byId.values()];
  return report;
}
