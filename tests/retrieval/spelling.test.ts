import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/retrieval/bm25.ts';
import { correctSpelling, correctWord, typoVariants } from '../../src/retrieval/spelling.ts';

/** A corpus whose words the tests misspell; "memory" is in two documents, "memorx" in one. */
function corpus(): Bm25Index {
  const index = new Bm25Index();
  index.set('a', 'Deep contextualized word representations from a bidirectional language model.');
  index.set('b', 'BERT rediscovers the classical NLP pipeline; memory of the decodes.');
  index.set('c', 'Recurrent memory transformers organized in chunks; memorx is a rare spelling.');
  index.set('d', 'Matryoshka representation learning with nested sub-networks. Larimar.');
  index.set('e', 'The Nugget model keeps tokens. That chat about char.');
  return index;
}

describe('typoVariants', () => {
  it('lists one insertion, deletion, neighbour swap and s/z swap, never the word itself', () => {
    const variants = typoVariants('organise', false);
    expect(variants).toContain('organize');
    expect(variants).toContain('organse');
    expect(variants).toContain('orgnaise');
    expect(variants).toContain('organisse');
    expect(variants).not.toContain('organise');
    // No substitution of one letter for another (other than s/z).
    expect(variants).not.toContain('organite');
  });

  it('for short words only doubles or undoubles a letter', () => {
    expect(typoVariants('nuget', true).sort()).toEqual(
      ['nnuget', 'nuuget', 'nugget', 'nugeet', 'nugett'].sort(),
    );
    expect(typoVariants('memmory', true)).toContain('memory');
    expect(typoVariants('memmory', true)).not.toContain('mmory');
  });
});

describe('correctWord', () => {
  const index = corpus();
  const vocabulary = {
    wordFrequency: (word: string) => index.wordFrequency(word),
    isKnownTerm: (term: string) => index.documentFrequency(term) > 0,
  };

  it('corrects a dropped, doubled or swapped letter and British -ise to the corpus word', () => {
    expect(correctWord('bidirectonal', vocabulary)).toBe('bidirectional');
    expect(correctWord('pipline', vocabulary)).toBe('pipeline');
    expect(correctWord('clasical', vocabulary)).toBe('classical');
    expect(correctWord('memmory', vocabulary)).toBe('memory');
    expect(correctWord('matryoshak', vocabulary)).toBe('matryoshka');
    expect(correctWord('larimarr', vocabulary)).toBe('larimar');
    expect(correctWord('organised', vocabulary)).toBe('organized');
    expect(correctWord('nuget', vocabulary)).toBe('nugget');
  });

  it('prefers the corpus word more documents use', () => {
    // "memoryx" is one dropped letter from "memory" (2 documents) and from "memorx" (1 document).
    expect(correctWord('memoryx', vocabulary)).toBe('memory');
    expect(correctWord('memorxx', vocabulary)).toBe('memorx');
  });

  it('leaves known words, short words, stopwords, substitutions and words with digits alone', () => {
    expect(correctWord('memory', vocabulary)).toBeUndefined();
    expect(correctWord('memories', vocabulary)).toBeUndefined(); // its stem is known
    expect(correctWord('chat', vocabulary)).toBeUndefined(); // too short ("that", "char")
    expect(correctWord('pipelane', vocabulary)).toBeUndefined(); // "pipeline" only by a substitution
    expect(correctWord('decades', vocabulary)).toBeUndefined(); // "decodes" is a substitution away
    expect(correctWord('whatever', vocabulary)).toBeUndefined();
    expect(correctWord('chatbot', vocabulary)).toBeUndefined(); // no corpus word near it
    expect(correctWord('pipline2', vocabulary)).toBeUndefined();
  });
});

describe('correctSpelling', () => {
  it('replaces each misspelt word, keeps a capital, and lists what it replaced', () => {
    const result = corpus().correctSpelling('Bidirectonal models and the clasical NLP pipline?');
    expect(result.text).toBe('Bidirectional models and the classical NLP pipeline?');
    expect(result.corrections).toEqual([
      { from: 'Bidirectonal', to: 'Bidirectional' },
      { from: 'clasical', to: 'classical' },
      { from: 'pipline', to: 'pipeline' },
    ]);
  });

  it('returns the query unchanged, with no corrections, when every word is known or left alone', () => {
    const query = 'which papers on GPT-4 and chatbot memory?';
    expect(corpus().correctSpelling(query)).toEqual({ text: query, corrections: [] });
  });

  it('forgets the words of a removed or replaced document', () => {
    const index = corpus();
    expect(index.wordFrequency('larimar')).toBe(1);
    expect(index.correctSpelling('larimarr').text).toBe('larimar');
    index.delete('d');
    expect(index.wordFrequency('larimar')).toBe(0);
    expect(index.correctSpelling('larimarr').corrections).toEqual([]);
    index.set('b', 'Nothing about pipelines here.');
    expect(index.wordFrequency('classical')).toBe(0);
    expect(index.wordFrequency('pipelines')).toBe(1);
  });
});

describe('correctSpelling with a plain vocabulary', () => {
  it('uses only the vocabulary it is given', () => {
    const vocabulary = {
      wordFrequency: (word: string) => (word === 'retrieval' ? 3 : 0),
      isKnownTerm: () => false,
    };
    expect(correctSpelling('dense retreival', vocabulary).text).toBe('dense retrieval');
  });
});
