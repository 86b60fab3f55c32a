import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { createHttpClient } from '../../src/ingest/http-client.ts';
import type { FeedRoute } from '../fakes/feed-server.ts';

const FIXTURES = join(PACKAGE_ROOT, 'tests', 'fixtures');

/** A recorded Hugging Face response (raw text). */
export function hfFixture(name: string): string {
  return readFileSync(join(FIXTURES, 'hf', name), 'utf8');
}

/** A recorded arXiv Atom feed (raw text). */
export function arxivFixture(name: string): string {
  return readFileSync(join(FIXTURES, 'arxiv', name), 'utf8');
}

export const HF_DAY_0612 = 'daily_papers-limit30-2026-06-12.json';
export const HF_DAY_0731 = 'daily_papers-limit30-2026-07-31.json';
export const HF_TWO_DAYS_0713 = 'daily_papers-limit25-2026-07-13.json';
export const ARXIV_LEGACY = 'legacy-format-query-cat_cs.RO_AND_neural-max2-2025-10-17.xml';
export const ARXIV_CURRENT = 'query-all_transformer_AND_cat_cs.LG-sort_submittedDate-max5-2026-06-14.xml';
export const ARXIV_0713 = 'query-cat_cs.AI_OR_cs.LG-sort_submittedDate-max50-2026-07-13.xml';

/**
 * Serves `/api/daily_papers?date=D` from recorded days (page 0 only; later pages are empty, as a
 * day shorter than the page size would be), `[]` for other days (weekends).
 */
export function dailyPapersRoute(days: Record<string, string>): FeedRoute {
  return (request) => {
    if (request.path !== '/api/daily_papers') return { status: 404, body: 'not found' };
    const day = request.query.get('date') ?? '';
    const page = Number(request.query.get('p') ?? 0);
    const body = days[day] && page === 0 ? days[day] : '[]';
    return { body };
  };
}

/** An HTTP client that never really waits (retries in tests must not take real seconds). */
export function instantHttp(options: Parameters<typeof createHttpClient>[0] = {}) {
  return createHttpClient({ sleep: async () => {}, timeoutMs: 2_000, ...options });
}
