import type { Paper } from '../corpus/paper.ts';

const DAY_MS = 86_400_000;

/** How trending papers are ordered. */
export interface RankingOptions {
  /** Number of papers to keep (default 5). */
  limit?: number;
  /**
   * Half-life of the upvote decay, in days (default 3): a paper published `halfLifeDays` before
   * the end of its Daily-Papers day counts half its upvotes. `Infinity` disables the decay.
   */
  halfLifeDays?: number;
  /** Papers to leave out, e.g. already posted to the destination in the last K days. */
  exclude?: ReadonlySet<string>;
}

/** A paper with its place in the ranking. */
export interface RankedPaper {
  paper: Paper;
  /** 1-based position. */
  rank: number;
  /** Upvotes after the recency decay (higher is better). */
  score: number;
  /** The paper's Daily-Papers day `YYYY-MM-DD`, when known. */
  dailyDate?: string;
}

/** Default number of papers in a digest. */
export const DEFAULT_DIGEST_LIMIT = 5;
/** Default half-life of the upvote decay, in days. */
export const DEFAULT_HALF_LIFE_DAYS = 3;

/** `YYYY-MM-DD` of an ISO timestamp, or undefined when it does not parse. */
export function dayOf(timestamp: string | undefined): string | undefined {
  if (!timestamp) return undefined;
  const match = timestamp.match(/^(\d{4}-\d{2}-\d{2})/);
  return match?.[1];
}

/**
 * Upvotes decayed by age: the age is measured from the arXiv publication (or, failing that, the
 * Daily-Papers submission) to the end of the paper's Daily-Papers day, so an old paper resurfacing
 * on the feed ranks below a fresh one with the same votes.
 */
export function decayedUpvotes(paper: Paper, halfLifeDays: number = DEFAULT_HALF_LIFE_DAYS): number {
  const upvotes = Math.max(0, paper.upvotes ?? 0);
  if (!Number.isFinite(halfLifeDays) || halfLifeDays <= 0) return upvotes;
  const day = dayOf(paper.dailyPapersAt);
  const born = Date.parse(paper.publishedAt ?? paper.dailyPapersAt ?? '');
  if (!day || Number.isNaN(born)) return upvotes;
  const endOfDay = Date.parse(`${day}T00:00:00Z`) + DAY_MS;
  const ageDays = Math.max(0, (endOfDay - born) / DAY_MS);
  return upvotes * 0.5 ** (ageDays / halfLifeDays);
}

/**
 * Orders papers for a digest: newest Daily-Papers day first; within a day, Hugging Face's trending
 * order (`trendingRank`) where the feed gave it, then the rest by decayed upvotes. Excluded papers
 * are dropped before the top `limit` are taken. Pure: same input, same output.
 */
export function rankPapers(papers: readonly Paper[], options: RankingOptions = {}): RankedPaper[] {
  const limit = options.limit ?? DEFAULT_DIGEST_LIMIT;
  const halfLife = options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;
  const seen = new Set<string>();
  const candidates = papers
    .filter((paper) => {
      if (options.exclude?.has(paper.id) || seen.has(paper.id)) return false;
      seen.add(paper.id);
      return true;
    })
    .map((paper) => ({
      paper,
      score: decayedUpvotes(paper, halfLife),
      dailyDate: dayOf(paper.dailyPapersAt),
    }));
  candidates.sort((a, b) => {
    const byDay = (b.dailyDate ?? '').localeCompare(a.dailyDate ?? '');
    if (byDay !== 0) return byDay;
    const rankA = a.paper.trendingRank ?? Number.POSITIVE_INFINITY;
    const rankB = b.paper.trendingRank ?? Number.POSITIVE_INFINITY;
    if (rankA !== rankB) return rankA - rankB;
    if (b.score !== a.score) return b.score - a.score;
    const byVotes = (b.paper.upvotes ?? 0) - (a.paper.upvotes ?? 0);
    if (byVotes !== 0) return byVotes;
    return a.paper.id.localeCompare(b.paper.id);
  });
  return candidates.slice(0, Math.max(0, limit)).map((candidate, index) => ({
    paper: candidate.paper,
    rank: index + 1,
    score: Math.round(candidate.score * 1000) / 1000,
    ...(candidate.dailyDate ? { dailyDate: candidate.dailyDate } : {}),
  }));
}
