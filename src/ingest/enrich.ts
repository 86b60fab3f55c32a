import { arxivIdOf, normalizeWhitespace, type Paper, paperLinks } from '../corpus/paper.ts';
import type { ArxivClient } from './arxiv-client.ts';

/**
 * Least similarity (0..1) of the normalised titles for a match to be accepted: 1 minus the
 * character edit distance over the longer title's length. At 0.9 a 60-character title may differ
 * by 6 characters (punctuation, a plural, "Large Language Models" vs "LLMs" does not pass); the
 * arXiv search returns papers that share most title words, and those stay below it.
 */
export const DEFAULT_TITLE_SIMILARITY = 0.9;

/** Lower case, LaTeX and punctuation dropped, whitespace collapsed. */
export function normalizeTitle(title: string): string {
  return normalizeWhitespace(
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/\\[a-z]+/g, ' ')
      .replace(/[^a-z0-9]+/g, ' '),
  );
}

/** Levenshtein distance (two rows). */
function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[right.length]!;
}

/** 1 - edit distance / longer length, over normalised titles (1 = the same title). */
export function titleSimilarity(left: string, right: string): number {
  const a = normalizeTitle(left);
  const b = normalizeTitle(right);
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 0 : 1 - editDistance(a, b) / longer;
}

/** The arXiv `search_query` for a title: its words as a phrase in the title field. */
export function titleQuery(title: string): string {
  return `ti:"${normalizeTitle(title)}"`;
}

/** What enrichment found for one paper. */
export interface EnrichmentResult {
  paperId: string;
  title: string;
  /** `matched`: a confident match; `no-match`: nothing similar enough; `taken`: the arXiv paper is already in the corpus as another id; `failed`: the request failed. */
  status: 'matched' | 'no-match' | 'taken' | 'failed';
  /** The best candidate's arXiv id, title and similarity (also for a rejected candidate). */
  arxivId?: string;
  arxivTitle?: string;
  similarity?: number;
  /** Fields that would be (or were) filled. */
  fills?: Partial<Pick<Paper, 'arxivId' | 'authors' | 'publishedAt' | 'links'>>;
  /** The updated record, for a match. */
  paper?: Paper;
  reason?: string;
}

export interface EnrichOptions {
  /** Least title similarity accepted (default `DEFAULT_TITLE_SIMILARITY`). */
  threshold?: number;
  /** arXiv ids the corpus already holds (as `id` or `arxivId`) -> the paper id holding them. */
  known?: ReadonlyMap<string, string>;
  onPaper?: (done: number, total: number) => void;
}

/** Papers that still lack an arXiv id (neither their id nor an `arxivId` field is one). */
export function papersWithoutArxivId(papers: readonly Paper[]): Paper[] {
  return papers.filter((paper) => !arxivIdOf(paper));
}

/** Fills only what the paper lacks: the arXiv id always, authors, date and links when missing. */
function fillFrom(paper: Paper, match: Paper): EnrichmentResult['fills'] {
  const fills: EnrichmentResult['fills'] = { arxivId: match.id };
  if (!paper.authors?.length && match.authors?.length) fills.authors = match.authors;
  if (!paper.publishedAt && match.publishedAt) fills.publishedAt = match.publishedAt;
  const links = paperLinks({ ...match, githubRepo: undefined, projectPage: undefined });
  const added = Object.fromEntries(
    Object.entries({ abs: links.abs, pdf: links.pdf }).filter(
      ([key, url]) => url && !paper.links?.[key as 'abs' | 'pdf'],
    ),
  );
  if (Object.keys(added).length > 0) fills.links = { ...paper.links, ...added };
  return fills;
}

/**
 * Looks each paper's title up in arXiv (`ti:` search, through the client's rate limit, one request
 * per paper) and accepts the most similar result only at `threshold` or above.
 */
export async function enrichPapers(
  papers: readonly Paper[],
  client: Pick<ArxivClient, 'fetch'>,
  options: EnrichOptions = {},
): Promise<EnrichmentResult[]> {
  const threshold = options.threshold ?? DEFAULT_TITLE_SIMILARITY;
  const results: EnrichmentResult[] = [];
  for (const [position, paper] of papers.entries()) {
    const base = { paperId: paper.id, title: paper.title };
    try {
      const { papers: candidates } = await client.fetch({ query: titleQuery(paper.title), max: 5 });
      const ranked = candidates
        .map((candidate) => ({ candidate, similarity: titleSimilarity(paper.title, candidate.title) }))
        .sort((left, right) => right.similarity - left.similarity);
      const best = ranked[0];
      if (!best || best.similarity < threshold) {
        results.push({
          ...base,
          status: 'no-match',
          ...(best
            ? {
                arxivId: best.candidate.id,
                arxivTitle: best.candidate.title,
                similarity: round(best.similarity),
              }
            : {}),
          reason: best
            ? `closest arXiv title has similarity ${round(best.similarity)} < ${threshold}`
            : 'arXiv returned nothing',
        });
      } else {
        const found = {
          arxivId: best.candidate.id,
          arxivTitle: best.candidate.title,
          similarity: round(best.similarity),
        };
        const holder = options.known?.get(best.candidate.id);
        if (holder && holder !== paper.id) {
          results.push({ ...base, ...found, status: 'taken', reason: `already in the corpus as ${holder}` });
        } else {
          const fills = fillFrom(paper, best.candidate);
          results.push({ ...base, ...found, status: 'matched', fills, paper: { ...paper, ...fills } });
        }
      }
    } catch (error) {
      results.push({ ...base, status: 'failed', reason: (error as Error).message });
    }
    options.onPaper?.(position + 1, papers.length);
  }
  return results;
}

function round(value: number): number {
  return Number(value.toFixed(3));
}
