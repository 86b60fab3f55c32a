import { describe, expect, it } from 'vitest';
import { type CorpusCatalog, editDistance, PaperNames } from '../../src/answering/chat-corpus.ts';
import type { Paper } from '../../src/corpus/paper.ts';
import { tokenize } from '../../src/retrieval/tokenize.ts';

/** An in-memory catalog over `papers`, its statistics computed as the index does (stems per paper). */
function catalogOf(papers: Paper[]): CorpusCatalog {
  const frequency = (term: string) =>
    papers.filter((paper) => tokenize(`${paper.title} ${paper.abstract}`, false).includes(term)).length;
  return {
    papers: () => papers,
    get: (id) => papers.find((paper) => paper.id === id),
    documentFrequency: frequency,
    idf: (term) => Math.log(1 + papers.length / (1 + frequency(term))),
    get size() {
      return papers.length;
    },
    embeddings: { modelId: 'test' },
  };
}

const paper = (id: string, title: string, abstract = 'Layer models of language and text.'): Paper => ({
  id,
  title,
  abstract,
});

// Common words ("layer", "language", "models", "text") are used by more than two papers.
const filler = [1, 2, 3].map((n) =>
  paper(`f${n}`, `Filler ${n}`, 'Layer by layer, language models read text.'),
);
const papers = [
  ...filler,
  paper('nugget', 'Nugget: Neural Agglomerative Embeddings of Text'),
  paper('layer', 'Layer by Layer: Uncovering Hidden Representations in Language Models'),
  paper('dwe', 'Dynamic Word Embeddings'),
  paper('dwe-long', 'Dynamic Word Embeddings for Evolving Semantic Discovery'),
  paper('lcm', 'Large Concept Models: Language Modeling in a Sentence Representation Space'),
];

describe('PaperNames', () => {
  it('finds a paper by its full title and by the short name before the colon', () => {
    const names = new PaperNames(catalogOf(papers));
    expect(names.find('What does Nugget: Neural Agglomerative Embeddings of Text propose?')).toMatchObject({
      paper: { id: 'nugget' },
      via: 'title',
    });
    expect(names.find('how does nugget pick its tokens?')).toMatchObject({
      paper: { id: 'nugget' },
      name: 'Nugget',
      matched: 'nugget',
      via: 'name',
    });
  });

  it('prefers the longest name that the question writes', () => {
    const names = new PaperNames(catalogOf(papers));
    const long = names.find('Is Dynamic Word Embeddings for Evolving Semantic Discovery evaluated on NYT?');
    expect(long?.paper.id).toBe('dwe-long');
    expect(names.find('what corpus did dynamic word embeddings use?')?.paper.id).toBe('dwe');
  });

  it('needs the capitals of a name made of common words, so ordinary phrases name nothing', () => {
    const names = new PaperNames(catalogOf(papers));
    expect(names.find('What does Layer by Layer find about intermediate layers?')?.paper.id).toBe('layer');
    expect(names.find('do models read text layer by layer?')).toBeUndefined();
  });

  it('reads the last word of a name in the singular or plural', () => {
    const names = new PaperNames(catalogOf(papers));
    expect(names.find('How big is the Large Concept Model?')?.paper.id).toBe('lcm');
  });

  it('takes a word the corpus never uses for a one-word name one or two edits away, and no known word', () => {
    const names = new PaperNames(catalogOf(papers));
    expect(names.find('what is nuget?')).toMatchObject({
      paper: { id: 'nugget' },
      matched: 'nuget',
      via: 'typo',
    });
    expect(names.find('what is nougat?')).toBeUndefined();
    // "text" is a corpus word: never read as a typo of anything.
    expect(names.find('what is text?')).toBeUndefined();
  });

  it('rebuilds its names when the corpus grows', () => {
    const grown = [...papers];
    const names = new PaperNames(catalogOf(grown));
    expect(names.find('what does Resona improve?')).toBeUndefined();
    grown.push(paper('resona', 'Resona: Improving Context Copying in Linear Recurrence Models'));
    expect(names.find('what does Resona improve?')?.paper.id).toBe('resona');
  });
});

describe('editDistance', () => {
  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('nugget', 'nuget')).toBe(1);
    expect(editDistance('nugget', 'nguget')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('resona', 'reosna')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
