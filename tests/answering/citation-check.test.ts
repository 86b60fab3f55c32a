import { describe, expect, it } from 'vitest';
import { checkCitations } from '../../src/answering/citation-check.ts';

describe('checkCitations', () => {
  it('keeps valid single, grouped and adjacent citations unchanged', () => {
    const text = 'Intermediate layers win [1]. Both agree [1, 2][3]. See also [2;3].';
    const checked = checkCitations(text, 3);
    expect(checked.text).toBe(text);
    expect(checked.used).toEqual([1, 2, 3]);
    expect(checked.removed).toEqual([]);
  });

  it('removes a citation to a source that was not retrieved, with the space before it', () => {
    const checked = checkCitations('Layers matter [7]. Really [1].', 3);
    expect(checked.text).toBe('Layers matter. Really [1].');
    expect(checked.used).toEqual([1]);
    expect(checked.removed).toEqual([7]);
  });

  it('keeps the valid numbers of a group that mixes valid and invalid ones', () => {
    expect(checkCitations('Claim [1, 7, 2].', 2)).toEqual({
      text: 'Claim [1, 2].',
      used: [1, 2],
      removed: [7],
    });
    expect(checkCitations('Claim [1][9] and more.', 2)).toEqual({
      text: 'Claim [1] and more.',
      used: [1],
      removed: [9],
    });
  });

  it('expands ranges and treats 0 and out-of-range numbers as invalid', () => {
    expect(checkCitations('A [1-3]. B [0].', 2)).toEqual({
      text: 'A [1, 2]. B.',
      used: [1, 2],
      removed: [3, 0],
    });
  });

  it('leaves the text alone when there are no citations', () => {
    expect(checkCitations('  No markers here.  ', 3)).toEqual({
      text: 'No markers here.',
      used: [],
      removed: [],
    });
  });

  it('understands ranges with a hyphen, an en dash or an em dash, and lists', () => {
    expect(checkCitations('A [3-4], B [1–2], C [2—3], D [1, 3].', 4).used).toEqual([3, 4, 1, 2]);
    expect(checkCitations('A [3–5].', 4)).toEqual({ text: 'A [3, 4].', used: [3, 4], removed: [5] });
  });

  it('leaves clean text when an invalid citation is removed', () => {
    const clean = (text: string, count: number) => checkCitations(text, count).text;
    expect(clean('Layers win [1]. Also see [7] and [3-4].', 4)).toBe('Layers win [1]. Also see [3-4].');
    expect(clean('Layers win [1]. Also see [7] and [3-4].', 2)).toBe('Layers win [1].');
    expect(clean('Both agree ([7] and [1]).', 2)).toBe('Both agree ([1]).');
    expect(clean('Both agree ([1], [7]).', 2)).toBe('Both agree ([1]).');
    expect(clean('This holds (see [9]) in general [1].', 2)).toBe('This holds in general [1].');
    expect(clean('Works such as [5] and [6] show this [1] .', 2)).toBe('Works show this [1].');
    expect(clean('Mamba [2], layers [1] and more [8].', 2)).toBe('Mamba [2], layers [1] and more.');
    for (const text of ['Also see [7] and [3-4].', 'A ( [9] ) b [1] , c [8] .']) {
      const result = clean(text, 2);
      expect(result).not.toMatch(/ {2}|\(\s*\)| [.,;:!?]|\band\s*[.,;:!?]|^\s*and\b/);
    }
  });
});
