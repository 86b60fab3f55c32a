import { describe, expect, it } from 'vitest';
import { parsePapersJsonl } from '../../src/corpus/jsonl.ts';
import { validatePaper } from '../../src/corpus/validate-paper.ts';
import { stripUnsafeText } from '../../src/text/sanitize.ts';

const line = (record: object) => JSON.stringify(record);

describe('paper validation bounds ids', () => {
  it('refuses a 2,000-character id with the line number and the limit, and keeps the other lines', () => {
    const { papers, problems } = parsePapersJsonl(
      [
        line({ id: 'ok-1', title: 'Fine', abstract: 'A fine abstract.' }),
        line({ id: 'x'.repeat(2_000), title: 'Long id', abstract: 'An abstract.' }),
      ].join('\n'),
    );
    expect(papers.map((paper) => paper.id)).toEqual(['ok-1']);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(2);
    expect(problems[0]?.reason).toMatch(
      /^id: "x{40}\.\.\." is 2000 characters; an id is at most 128 characters/,
    );
  });

  it('refuses ids with spaces, markup or control characters left after cleaning', () => {
    for (const id of ['a b', '<!channel>', 'seed|1', '*bold*']) {
      const result = validatePaper({ id, title: 'T', abstract: 'A.' });
      expect(result.ok, id).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/^id: .*letters, digits and \. _ - \/ :/);
    }
    for (const id of ['seed-001', '2401.01234', 'hep-th/9901001', 'doi:10.1000_x']) {
      expect(validatePaper({ id, title: 'T', abstract: 'A.' }).ok, id).toBe(true);
    }
  });

  it('bounds authors and optional fields', () => {
    const many = validatePaper({ id: 'p', title: 'T', abstract: 'A.', authors: Array(5_001).fill('N') });
    expect(many.ok).toBe(false);
    const longSummary = validatePaper({ id: 'p', title: 'T', abstract: 'A.', aiSummary: 's'.repeat(4_001) });
    expect(longSummary.ok).toBe(false);
    if (!longSummary.ok) expect(longSummary.reason).toMatch(/aiSummary: is over 4000 characters/);
  });
});

describe('paper validation strips what could rewrite a terminal or a message', () => {
  it('removes ANSI escapes, control characters, bidi overrides and zero-width characters from every field', () => {
    const result = validatePaper({
      id: '2401.01234\u200b',
      title: '\u001b[31mRed\u001b[0m title\u0007 \u202eevil\u202c',
      abstract: 'Clear\u001b]0;pwned\u0007 screen\u001b[2J and\u0000 hide\u200d\u2066 text\ufeff.',
      authors: ['Ada\u202e Lovelace', '\u001b[1mBold\u001b[22m Name'],
      aiSummary: 'sum\u0085mary',
      links: { abs: 'https://arxiv.org/abs/2401.01234\u200e' },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.paper).toMatchObject({
      id: '2401.01234',
      title: 'Red title evil',
      abstract: 'Clear screen and hide text.',
      authors: ['Ada Lovelace', 'Bold Name'],
      aiSummary: 'summary',
      links: { abs: 'https://arxiv.org/abs/2401.01234' },
    });
    const serialized = JSON.stringify(result.paper);
    expect(serialized).not.toMatch(
      /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/,
    );
  });

  it('keeps ordinary Unicode text as it is', () => {
    expect(stripUnsafeText('Größe: α→β, 日本語, emoji 🧪')).toBe('Größe: α→β, 日本語, emoji 🧪');
    expect(stripUnsafeText('a\nb', { keepNewlines: true })).toBe('a\nb');
  });
});

describe('unknown keys', () => {
  it('are reported once per file, in order, and dropped from the papers', () => {
    const { papers, unknownKeys } = parsePapersJsonl(
      [
        line({ id: 'p1', title: 'T', abstract: 'A.', summary: 'x', year: 2024 }),
        line({ id: 'p2', title: 'T', abstract: 'A.', summary: 'y', venue: 'ACL' }),
      ].join('\n'),
    );
    expect(unknownKeys).toEqual(['summary', 'year', 'venue']);
    expect(papers[0]).toEqual({ id: 'p1', title: 'T', abstract: 'A.' });
  });
});
