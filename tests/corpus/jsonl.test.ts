import { describe, expect, it } from 'vitest';
import { BUNDLED_CORPUS_PATH } from '../../src/corpus/bundled.ts';
import { loadPapersJsonl, parsePapersJsonl } from '../../src/corpus/jsonl.ts';
import { normalizePaperId } from '../../src/corpus/paper.ts';
import { hasCode } from '../../src/errors.ts';

describe('parsePapersJsonl', () => {
  it('keeps every good paper and reports each bad line by number and reason', () => {
    const text = [
      JSON.stringify({ id: 'p1', title: 'First', abstract: 'One.' }),
      '{not json',
      JSON.stringify({ id: 'p2', title: '', abstract: 'No title.' }),
      '',
      JSON.stringify({ id: 'p3', title: 'Third', abstract: 'Three.', upvotes: 4 }),
      JSON.stringify({ id: 'p1', title: 'Again', abstract: 'Duplicate.' }),
      JSON.stringify([1, 2]),
      JSON.stringify({ title: 'No id', abstract: 'x' }),
    ].join('\n');
    const { papers, problems } = parsePapersJsonl(text);
    expect(papers.map((paper) => paper.id)).toEqual(['p1', 'p3']);
    expect(papers[1]?.upvotes).toBe(4);
    expect(problems.map((problem) => problem.line)).toEqual([2, 3, 6, 7, 8]);
    expect(problems[0]?.reason).toMatch(/invalid JSON/);
    expect(problems[1]?.reason).toMatch(/title/);
    expect(problems[2]?.reason).toMatch(/duplicate id p1 \(first on line 1\)/);
    expect(problems[3]?.reason).toMatch(/not a JSON object/);
    expect(problems[4]?.reason).toMatch(/^id:/);
  });

  it('normalises whitespace, arXiv versions and null optional fields', () => {
    const { papers, problems } = parsePapersJsonl(
      JSON.stringify({
        id: 'http://arxiv.org/abs/2401.01234v2',
        title: ' A\n  title ',
        abstract: 'x',
        githubRepo: null,
      }),
    );
    expect(problems).toEqual([]);
    expect(papers[0]).toEqual({ id: '2401.01234', title: 'A title', abstract: 'x' });
  });

  it('loads the 119 bundled papers without a problem', () => {
    const { papers, problems } = loadPapersJsonl(BUNDLED_CORPUS_PATH);
    expect(problems).toEqual([]);
    expect(papers).toHaveLength(119);
  });

  it('fails with CORPUS_UNREADABLE for a missing file', () => {
    expect(() => loadPapersJsonl('/nonexistent/papers.jsonl')).toThrowError(/Cannot read corpus file/);
    try {
      loadPapersJsonl('/nonexistent/papers.jsonl');
    } catch (error) {
      expect(hasCode(error, 'CORPUS_UNREADABLE')).toBe(true);
    }
  });
});

describe('normalizePaperId', () => {
  it.each([
    ['2401.01234v3', '2401.01234'],
    ['https://arxiv.org/abs/2401.01234v1', '2401.01234'],
    ['https://arxiv.org/pdf/2401.01234v1.pdf', '2401.01234'],
    ['arXiv:2401.01234', '2401.01234'],
    ['hep-th/9901001v2', 'hep-th/9901001'],
    ['seed-001', 'seed-001'],
  ])('%s -> %s', (raw, expected) => {
    expect(normalizePaperId(raw)).toBe(expected);
  });
});
