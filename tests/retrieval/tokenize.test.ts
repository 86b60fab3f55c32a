import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/retrieval/tokenize.ts';

describe('tokenize', () => {
  it('stems words and drops stopwords', () => {
    expect(tokenize('Which papers show intermediate layers?')).toEqual(['intermedi', 'layer']);
  });

  it('drops negated auxiliaries, with straight or curly apostrophes, and keeps possessives as their word', () => {
    expect(tokenize("features that aren't linear, isn’t it, BERT's layers")).toEqual([
      'featur',
      'linear',
      'bert',
      'layer',
    ]);
  });

  it('yields the parts of a hyphenated term, and the joined form unless asked not to', () => {
    expect(tokenize('key-value memories')).toEqual(['keyvalu', 'kei', 'valu', 'memori']);
    expect(tokenize('key-value memories', false)).toEqual(['kei', 'valu', 'memori']);
  });
});
