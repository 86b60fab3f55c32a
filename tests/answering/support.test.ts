import { describe, expect, it } from 'vitest';
import { detailAsked, termCoverage } from '../../src/answering/support.ts';
import { tokenize } from '../../src/retrieval/tokenize.ts';

describe('termCoverage', () => {
  it('is the weighted share of the question terms found in the text', () => {
    const terms = tokenize('intermediate layers representations');
    expect(termCoverage(terms, 'Intermediate layers are good.', () => 1)).toBeCloseTo(2 / 3);
    const weight = (term: string) => (term === tokenize('representations')[0] ? 4 : 1);
    expect(termCoverage(terms, 'Representations of words.', weight)).toBeCloseTo(4 / 6);
    expect(termCoverage([], 'anything', () => 1)).toBe(0);
  });
});

describe('detailAsked', () => {
  it.each([
    ['What exact routing accuracy in percent does EmbedLLM report?', 'number'],
    ['What test accuracy on SNLI does it reach, as a number?', 'number'],
    ['how many GPU hours did training take?', 'number'],
    ['what perplexity does dynamic evaluation reach on WikiText-103?', 'number'],
    ['which conference published ELMo?', 'venue'],
    ['who wrote the Large Concept Models paper?', 'authors'],
    ['can choosing a prompt per input win the accuracy back?', undefined],
    ['what makes a representation useful across layers?', undefined],
  ])('%s -> %s', (text, kind) => {
    expect(detailAsked(text)).toBe(kind);
  });
});
