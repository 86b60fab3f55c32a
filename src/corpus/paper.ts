/** A research paper as paperbot knows it. Only `id`, `title` and `abstract` are required. */
export interface Paper {
  /** arXiv id without version (`2401.01234`), or a corpus-local id such as `seed-001`. */
  id: string;
  title: string;
  abstract: string;
  /**
   * arXiv id without version, for a paper whose `id` is corpus-local (`seed-001` -> `2310.01732`).
   * An ingest of that arXiv paper updates this record instead of adding a copy.
   */
  arxivId?: string;
  /** Display names of the authors, in order. */
  authors?: string[];
  /** arXiv publication date (first version), ISO 8601: `YYYY-MM-DD`, a full timestamp, or `YYYY-MM` when only the month is known. */
  publishedAt?: string;
  /** When the paper appeared on Hugging Face Daily Papers, ISO 8601. */
  dailyPapersAt?: string;
  upvotes?: number;
  commentsCount?: number;
  /** The feed's AI-written one-sentence summary. */
  aiSummary?: string;
  aiKeywords?: string[];
  githubRepo?: string;
  githubStars?: number;
  projectPage?: string;
  /** Position in Hugging Face's trending order for its Daily-Papers day (1 = first), when known. */
  trendingRank?: number;
  links?: PaperLinks;
  /** Where the record came from: `seed`, `hf`, `arxiv`, `file`. */
  source?: string;
}

export interface PaperLinks {
  abs?: string;
  pdf?: string;
  code?: string;
  project?: string;
  huggingFace?: string;
}

const ARXIV_ID = /^(\d{4}\.\d{4,5})(v\d+)?$/;
const OLD_ARXIV_ID = /^([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(v\d+)?$/;

/** Strips an arXiv version suffix and any `arxiv.org/abs/` prefix: `http://arxiv.org/abs/2401.01234v2` -> `2401.01234`. */
export function normalizePaperId(raw: string): string {
  let id = raw.trim();
  const abs = id.match(/arxiv\.org\/(?:abs|pdf)\/(.+?)(?:\.pdf)?$/i);
  if (abs?.[1]) id = abs[1];
  id = id.replace(/^arxiv:/i, '');
  const modern = id.match(ARXIV_ID);
  if (modern?.[1]) return modern[1];
  const old = id.match(OLD_ARXIV_ID);
  if (old?.[1]) return old[1];
  return id;
}

/** True for modern or old-style arXiv ids (after normalisation). */
export function isArxivId(id: string): boolean {
  return ARXIV_ID.test(id) || OLD_ARXIV_ID.test(id);
}

/** The paper's arXiv id: its `id` when that is one, else its `arxivId` field. */
export function arxivIdOf(paper: Pick<Paper, 'id' | 'arxivId'>): string | undefined {
  if (isArxivId(paper.id)) return paper.id;
  return paper.arxivId && isArxivId(paper.arxivId) ? paper.arxivId : undefined;
}

/** Links derived from the id when the record has none of its own. */
export function paperLinks(paper: Paper): PaperLinks {
  const links: PaperLinks = { ...paper.links };
  const arxiv = arxivIdOf(paper);
  if (arxiv) {
    links.abs ??= `https://arxiv.org/abs/${arxiv}`;
    links.pdf ??= `https://arxiv.org/pdf/${arxiv}`;
  }
  if (paper.githubRepo) links.code ??= paper.githubRepo;
  if (paper.projectPage) links.project ??= paper.projectPage;
  return links;
}

/** Collapses runs of whitespace (feeds hard-wrap titles and abstracts). */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
