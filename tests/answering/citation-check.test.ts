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
});
