import type { Paper } from '../corpus/paper.ts';
import { PaperbotError } from '../errors.ts';
import type { Retriever, SearchHit, SearchOptions } from './types.ts';

/** Inclusive range of publication days, `YYYY-MM-DD`; either end may be open. */
export interface DateRange {
  since?: string;
  until?: string;
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The first (`start`) or last (`end`) day a date of the given precision covers: `2024` ->
 * `2024-01-01` / `2024-12-31`, `2024-02` -> `2024-02-01` / `2024-02-29`, `2024-02-10` -> itself.
 * Undefined when the text is not such a date.
 */
export function dayBound(text: string, end: 'start' | 'end'): string | undefined {
  const match = text.trim().match(DATE);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = match[2] ? Number(match[2]) : undefined;
  const day = match[3] ? Number(match[3]) : undefined;
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  if (month !== undefined && day !== undefined) {
    if (day < 1 || day > lastDayOfMonth(year, month)) return undefined;
    return `${year}-${pad(month)}-${pad(day)}`;
  }
  if (month !== undefined)
    return `${year}-${pad(month)}-${end === 'start' ? '01' : pad(lastDayOfMonth(year, month))}`;
  return `${year}-${end === 'start' ? '01-01' : '12-31'}`;
}

/**
 * `--since` / `--until` values (a year, a year-month or a full date) as a day range. Throws
 * `DATE_INVALID` naming the bad value, or when `since` is after `until`.
 */
export function parseDateRange(since?: string, until?: string): DateRange | undefined {
  const range: DateRange = {};
  for (const [name, value, end] of [
    ['since', since, 'start'],
    ['until', until, 'end'],
  ] as const) {
    if (value === undefined) continue;
    const day = dayBound(value, end);
    if (!day) {
      throw new PaperbotError(
        'DATE_INVALID',
        `--${name} "${value}" is not a date: use a year (2024), a month (2024-06) or a day (2024-06-15).`,
      );
    }
    range[name] = day;
  }
  if (range.since && range.until && range.since > range.until) {
    throw new PaperbotError('DATE_INVALID', `--since ${since} is after --until ${until}: swap them.`);
  }
  return range.since || range.until ? range : undefined;
}

/** The date a paper counts under: its first arXiv version, else its Daily-Papers day. */
export function paperDate(paper: Pick<Paper, 'publishedAt' | 'dailyPapersAt'>): string | undefined {
  const raw = paper.publishedAt ?? paper.dailyPapersAt;
  const date = raw?.slice(0, 10);
  return date && dayBound(date, 'start') ? date : undefined;
}

/**
 * True when the paper's date falls in the range. A date known to the month only (`2024-03`)
 * matches when any day of that month does. Papers without a date never match.
 */
export function inDateRange(paper: Pick<Paper, 'publishedAt' | 'dailyPapersAt'>, range: DateRange): boolean {
  const date = paperDate(paper);
  if (!date) return false;
  const first = dayBound(date, 'start')!;
  const last = dayBound(date, 'end')!;
  return (!range.since || last >= range.since) && (!range.until || first <= range.until);
}

/** "2024", "2024-03 to 2024-06", "since 2023-01-01": a range as people read it. */
export function describeDateRange(range: DateRange): string {
  const { since, until } = range;
  if (since && until) {
    if (since.endsWith('-01-01') && until === `${since.slice(0, 4)}-12-31`) return since.slice(0, 4);
    return `${since} to ${until}`;
  }
  return since ? `since ${since}` : `until ${until}`;
}

/** Candidates searched before a date filter keeps the requested number. */
const DATED_CANDIDATES = 100;

/**
 * A search narrowed to papers published in `range`: asks the retriever for more candidates, then
 * keeps the first `k` that fall in the range, in rank order.
 */
export async function searchWithinDates(
  retriever: Retriever,
  query: string,
  range: DateRange | undefined,
  options: SearchOptions = {},
): Promise<SearchHit[]> {
  const k = options.k ?? 10;
  if (!range) return retriever.search(query, options);
  const hits = await retriever.search(query, { ...options, k: Math.max(k, DATED_CANDIDATES) });
  return hits.filter((hit) => inDateRange(hit.paper, range)).slice(0, k);
}
