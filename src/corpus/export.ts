import { yearOf } from './citation.ts';
import { arxivIdOf, isArxivId, normalizeWhitespace, type Paper, paperLinks } from './paper.ts';

/** Formats `paperbot papers export` writes. */
export const EXPORT_FORMATS = ['jsonl', 'csv', 'bibtex'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Where a paper came from: its `source`, else `seed` for `seed-NNN`, `arxiv` for an arXiv id, else `file`. */
export function paperSource(paper: Pick<Paper, 'id' | 'source'>): string {
  if (paper.source) return paper.source;
  if (/^seed-/.test(paper.id)) return 'seed';
  return isArxivId(paper.id) ? 'arxiv' : 'file';
}

/** One paper per line, as stored (the format `ingest file` reads back). */
export function toJsonl(papers: readonly Paper[]): string {
  return papers.map((paper) => `${JSON.stringify(paper)}\n`).join('');
}

export const CSV_COLUMNS = ['id', 'arxivId', 'title', 'authors', 'published', 'link', 'source', 'abstract'];

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A header row, then one row per paper; authors joined with "; ". CRLF line ends (RFC 4180). */
export function toCsv(papers: readonly Paper[]): string {
  const rows = papers.map((paper) =>
    [
      paper.id,
      arxivIdOf(paper) ?? '',
      paper.title,
      (paper.authors ?? []).join('; '),
      paper.publishedAt ?? '',
      paperLinks(paper).abs ?? '',
      paperSource(paper),
      paper.abstract,
    ].map(csvField),
  );
  return [CSV_COLUMNS, ...rows].map((row) => `${row.join(',')}\r\n`).join('');
}

/** True when every `{` has its `}` (BibTeX needs balanced braces inside a braced value). */
function balanced(text: string): boolean {
  let depth = 0;
  for (const char of text) {
    if (char === '{') depth++;
    else if (char === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * A braced BibTeX value: whitespace collapsed, LaTeX specials `& % #` escaped, and braces kept
 * only when balanced (feeds' LaTeX such as `$\mathcal{O}(n)$`), else turned into parentheses.
 */
function bibtexValue(text: string): string {
  let value = normalizeWhitespace(text).replace(/(?<!\\)([&%#])/g, '\\$1');
  if (!balanced(value)) value = value.replaceAll('{', '(').replaceAll('}', ')');
  return `{${value}}`;
}

/** A citation key from the id: `seed-001` -> `seed-001`, `2401.01234` -> `arxiv2401.01234`. */
export function bibtexKey(paper: Pick<Paper, 'id'>): string {
  const key = paper.id.replace(/[^A-Za-z0-9._:-]/g, '_');
  return /^[A-Za-z]/.test(key) ? key : `arxiv${key}`;
}

/** `@misc` entries (the arXiv convention): title, authors, year, eprint, url, abstract. */
export function toBibtex(papers: readonly Paper[]): string {
  return papers
    .map((paper) => {
      const arxiv = arxivIdOf(paper);
      const year = yearOf(paper.publishedAt);
      const month = paper.publishedAt?.match(/^\d{4}-(\d{2})/)?.[1];
      const fields: [string, string][] = [['title', bibtexValue(paper.title)]];
      if (paper.authors?.length) fields.push(['author', bibtexValue(paper.authors.join(' and '))]);
      if (year) fields.push(['year', `{${year}}`]);
      if (month) fields.push(['month', `{${Number(month)}}`]);
      if (arxiv) {
        fields.push(['eprint', `{${arxiv}}`], ['archiveprefix', '{arXiv}']);
      }
      const url = paperLinks(paper).abs;
      if (url) fields.push(['url', `{${url.replace(/[{}\s]/g, '')}}`]);
      fields.push(['abstract', bibtexValue(paper.abstract)]);
      const body = fields.map(([name, value]) => `  ${name} = ${value}`).join(',\n');
      return `@misc{${bibtexKey(paper)},\n${body}\n}\n`;
    })
    .join('\n');
}

/** The papers in one of the export formats. */
export function exportPapers(papers: readonly Paper[], format: ExportFormat): string {
  if (format === 'csv') return toCsv(papers);
  if (format === 'bibtex') return toBibtex(papers);
  return toJsonl(papers);
}
