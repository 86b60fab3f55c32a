import { isArxivId, normalizePaperId, type Paper, paperLinks } from '../corpus/paper.ts';
import { validatePaper } from '../corpus/validate-paper.ts';

/** The outcome of mapping one Daily-Papers item: a paper, or why it was skipped. */
export type MappedItem = { ok: true; paper: Paper } | { ok: false; item: string; reason: string };

export interface MappingContext {
  /** 0-based position of the item in the response, for warnings. */
  position: number;
  /** The `date` asked for, used as the Daily-Papers day when the item has no `submittedOnDailyAt`. */
  requestedDate?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value : undefined;
const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
const date = (value: unknown): string | undefined =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined;

/** The inner paper object: `item.paper` for `/api/daily_papers`, the item itself for `/api/papers/{id}`. */
function innerPaper(item: Json): Json | undefined {
  if (isObject(item.paper)) return item.paper;
  if (item.paper === undefined && text(item.id) && 'summary' in item) return item;
  return undefined;
}

/**
 * Maps one Daily-Papers item to a Paper. Fields come and go between days, and `null` is treated
 * as absent; only the arXiv id, title and abstract are required. Reads from `item.paper` (the
 * top-level title and summary repeat it).
 */
export function mapDailyPaper(item: unknown, context: MappingContext): MappedItem {
  const label = (id?: string) => `item ${context.position + 1}${id ? ` (${id})` : ''}`;
  if (!isObject(item)) return { ok: false, item: label(), reason: 'not a JSON object' };
  const paper = innerPaper(item);
  if (!paper) return { ok: false, item: label(), reason: 'no "paper" object' };
  const rawId = text(paper.id);
  if (!rawId) return { ok: false, item: label(), reason: 'paper.id is missing' };
  const id = normalizePaperId(rawId);
  if (!isArxivId(id))
    return { ok: false, item: label(rawId), reason: `paper.id "${rawId}" is not an arXiv id` };
  const authors = Array.isArray(paper.authors)
    ? paper.authors.flatMap((author) => (isObject(author) && text(author.name) ? [String(author.name)] : []))
    : undefined;
  const keywords = Array.isArray(paper.ai_keywords)
    ? paper.ai_keywords.filter(
        (keyword): keyword is string => typeof keyword === 'string' && !!keyword.trim(),
      )
    : undefined;
  const dailyPapersAt =
    date(paper.submittedOnDailyAt) ??
    (context.requestedDate ? `${context.requestedDate}T00:00:00.000Z` : undefined);
  const githubRepo = text(paper.githubRepo);
  const projectPage = text(paper.projectPage);
  const candidate: Paper = {
    id,
    title: typeof paper.title === 'string' ? paper.title : '',
    abstract: typeof paper.summary === 'string' ? paper.summary : '',
    authors: authors && authors.length > 0 ? authors : undefined,
    publishedAt: date(paper.publishedAt),
    dailyPapersAt,
    upvotes: count(paper.upvotes),
    commentsCount: count(item.numComments),
    aiSummary: text(paper.ai_summary),
    aiKeywords: keywords && keywords.length > 0 ? keywords : undefined,
    githubRepo,
    githubStars: count(paper.githubStars),
    projectPage,
    source: 'hf',
  };
  candidate.links = { ...paperLinks(candidate), huggingFace: `https://huggingface.co/papers/${id}` };
  const validated = validatePaper(candidate);
  if (!validated.ok) return { ok: false, item: label(id), reason: validated.reason };
  return { ok: true, paper: validated.paper };
}
