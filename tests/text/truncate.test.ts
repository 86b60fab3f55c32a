import { describe, expect, it } from 'vitest';
import { truncateText } from '../../src/text/truncate.ts';

describe('truncateText', () => {
  it('keeps text that fits', () => {
    expect(truncateText('short', 5)).toBe('short');
  });

  it('cuts to at most max characters with an ellipsis', () => {
    const cut = truncateText('abcdefghij', 5);
    expect(cut).toBe('abcd…');
    expect(cut.length).toBe(5);
  });

  it('never splits a surrogate pair', () => {
    const cut = truncateText('abc😀def', 5);
    expect(cut).toBe('abc…');
  });

  it('backs up to a word boundary and drops trailing punctuation with atWord', () => {
    expect(truncateText('alpha beta, gamma delta', 15, { atWord: true })).toBe('alpha beta…');
    // No space in the last 40%: cut inside the word.
    expect(truncateText('alpha betagammadelta', 15, { atWord: true })).toBe('alpha betagamm…');
  });

  it('respects the markup cut points it is given', () => {
    const noSplitAfterBackslash = (text: string, index: number) =>
      text[index - 1] === '\\' ? index - 1 : index;
    expect(truncateText('ab\\*cdef', 4, { safeCut: noSplitAfterBackslash })).toBe('ab…');
  });
});
