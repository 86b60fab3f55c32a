import { describe, expect, it } from 'vitest';
import { corpusNames } from '../../src/answering/corpus-names.ts';
import { BUNDLED_CORPUS_PATH } from '../../src/corpus/bundled.ts';
import { loadPapersJsonl } from '../../src/corpus/jsonl.ts';

describe('corpusNames', () => {
  it('takes the words the abstracts capitalise past a sentence start, in at least half their uses', () => {
    const names = corpusNames([
      'We study Mamba and the Transformer. Unlike a transformer, Mamba keeps a state.',
      'Models such as BabelNet help. Scores rise on MTEB in 2023 with 7B parameters.',
    ]);
    expect([...names].sort()).toEqual(['7b', 'babelnet', 'mamba', 'mteb', 'transform']);
  });

  it("does not count a sentence's first word, a number, or a word mostly in lower case", () => {
    const names = corpusNames(['Retrieval helps. We use retrieval and Retrieval again, in 2024.']);
    // "Retrieval" opens a sentence once and is capitalised in one of its two other uses: half.
    expect(names.has('retriev')).toBe(true);
    const fewer = corpusNames(['Retrieval helps. We use retrieval, retrieval and Retrieval.']);
    expect(fewer.has('retriev')).toBe(false);
    expect(fewer.has('2024')).toBe(false);
    expect(corpusNames(['Helps. In 2024 we won.']).has('2024')).toBe(false);
  });

  it('knows the models and benchmarks of the bundled corpus, not its everyday words', () => {
    const names = corpusNames(loadPapersJsonl(BUNDLED_CORPUS_PATH).papers.map((paper) => paper.abstract));
    for (const stem of ['mamba', 'llama', 'mteb', 'babelnet', 'wic', 'nugget'])
      expect(names.has(stem)).toBe(true);
    for (const stem of ['model', 'languag', 'retriev', 'smaller', 'layer'])
      expect(names.has(stem)).toBe(false);
  });
});
