import { normalizeWhitespace, type Paper, paperLinks } from './paper.ts';

/** Lower-case name particles that belong to a family name: "Benjamin Van Durme" -> "Van Durme". */
const PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'della',
  'di',
  'da',
  'dos',
  'das',
  'du',
  'le',
  'la',
  'ten',
  'ter',
  'bin',
  'al',
  'el',
]);

/** The family name of a display name: "Guanghui Qin" -> "Qin", "A. Bochkov" -> "Bochkov". */
export function familyName(name: string): string {
  const parts = normalizeWhitespace(name).split(' ').filter(Boolean);
  if (parts.length <= 1) return parts[0] ?? '';
  // A collective author ("LCM team") is shown as written.
  if (/\b(team|group|consortium|collaboration)$/i.test(parts.join(' '))) return parts.join(' ');
  let start = parts.length - 1;
  while (start > 1 && PARTICLES.has(parts[start - 1]!.toLowerCase())) start--;
  return parts.slice(start).join(' ');
}

/**
 * Authors as a citation shows them: "Bochkov", "Qin & Van Durme", "Bochkov et al." (three or
 * more). Empty when unknown.
 */
export function shortAuthors(authors: readonly string[] | undefined): string {
  const names = (authors ?? []).map(familyName).filter(Boolean);
  if (names.length === 0) return '';
  if (names.length === 1) return names[0]!;
  if (names.length === 2) return `${names[0]} & ${names[1]}`;
  return `${names[0]} et al.`;
}

/** The year of an ISO date (`2023`, `2023-10`, `2023-10-03T...`), or undefined. */
export function yearOf(date: string | undefined): string | undefined {
  return date?.match(/^(\d{4})(?:-|$)/)?.[1];
}

/** "Qin & Van Durme, 2023", "Bochkov et al.", "2019", or "" when neither is known. */
export function paperByline(paper: { authors?: readonly string[]; publishedAt?: string }): string {
  return [shortAuthors(paper.authors), yearOf(paper.publishedAt)].filter(Boolean).join(', ');
}

/** What every listing of a paper carries where known (the `search --json` fields beside id and title). */
export interface PaperReference {
  /** arXiv abstract page, or the record's own link. */
  link?: string;
  /** Full author list, in order. */
  authors?: string[];
  /** First-version date, `YYYY-MM-DD` or `YYYY-MM`. */
  published?: string;
  /** Short authors and year, e.g. "Qin & Van Durme, 2023". */
  byline?: string;
}

/** The link, authors, date and byline of a paper, each only when known. */
export function paperReference(paper: Paper): PaperReference {
  const reference: PaperReference = {};
  const link = paperLinks(paper).abs;
  if (link) reference.link = link;
  if (paper.authors?.length) reference.authors = [...paper.authors];
  if (paper.publishedAt) reference.published = paper.publishedAt;
  const byline = paperByline(paper);
  if (byline) reference.byline = byline;
  return reference;
}
