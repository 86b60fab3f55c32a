import { describe, expect, it } from 'vitest';
import { assessSupport, DEFAULT_SUPPORT, detailAsked } from '../../src/answering/support.ts';
import type { SearchHit } from '../../src/retrieval/types.ts';

const paper = (id: string, title: string, abstract: string) => ({ id, title, abstract });
const speech = paper(
  '2401.00010',
  'Frozen language models perceive paralinguistic aspects of speech',
  'A frozen language model understands speaking style from audio embeddings without finetuning.',
);
const other = paper('2401.00011', 'Dynamic word embeddings', 'Word vectors drift across time.');
const question = "can a frozen LLM pick up on the tone and emotion in someone's voice?";

describe('assessSupport', () => {
  it('accepts a paper ranked first by both retrievers, though each score alone is low', () => {
    const hits: SearchHit[] = [
      { paper: speech, score: 1, denseScore: 0.52, denseRank: 1, lexicalScore: 4, lexicalRank: 1 },
      { paper: other, score: 0.4, denseScore: 0.45, denseRank: 2, lexicalScore: 1, lexicalRank: 2 },
    ];
    expect(assessSupport(question, hits, () => 1)).toMatchObject({ supported: true });
  });

  it('declines the same scores when the retrievers disagree about the best paper', () => {
    const hits: SearchHit[] = [
      { paper: speech, score: 0.9, denseScore: 0.52, denseRank: 2, lexicalScore: 4, lexicalRank: 1 },
      { paper: other, score: 0.5, denseScore: 0.53, denseRank: 1, lexicalScore: 1, lexicalRank: 2 },
    ];
    expect(assessSupport(question, hits, () => 1)).toMatchObject({ supported: false });
  });

  it('needs a lexical anchor beside a similar passage: some paper must share a few of the words', () => {
    const venv = 'how do I set up a Python virtual environment and pin dependency versions?';
    const similar: SearchHit[] = [
      { paper: other, score: 0.9, denseScore: 0.6, denseRank: 2, lexicalScore: 1, lexicalRank: 1 },
      { paper: speech, score: 0.5, denseScore: 0.57, denseRank: 1, lexicalScore: 0.5, lexicalRank: 2 },
    ];
    expect(assessSupport(venv, similar, () => 1)).toMatchObject({ supported: false, coverage: 0 });
    const anchored = 'do word vectors change meaning in old books?';
    expect(assessSupport(anchored, similar, () => 1)).toMatchObject({ supported: true });
  });

  it('declines an agreed paper whose passages are barely similar', () => {
    const hits: SearchHit[] = [
      { paper: speech, score: 1, denseScore: 0.42, denseRank: 1, lexicalScore: 4, lexicalRank: 1 },
    ];
    expect(assessSupport(question, hits, () => 1)).toMatchObject({ supported: false });
  });
});

describe('assessSupport ordering', () => {
  const charLevel = paper('2401.00020', 'Character-level compositionality', 'Input embeddings from glyphs.');
  const lexinvariant = paper(
    '2401.00021',
    'Lexinvariant language models',
    'Language models without a fixed embedding table infer meaning from context.',
  );
  const question = "are there papers suggesting the input embedding table doesn't need to carry meaning?";
  // Ranked with the retriever's dense weight 0.2: the words-only paper first.
  const hits: SearchHit[] = [
    { paper: charLevel, score: 0.8, lexicalScore: 10, lexicalRank: 1, lexicalShare: 1 },
    {
      paper: lexinvariant,
      score: 0.76,
      lexicalScore: 7,
      lexicalRank: 2,
      lexicalShare: 0.7,
      denseScore: 0.67,
      denseRank: 1,
      denseShare: 1,
    },
  ];

  it('judges support in its own order of the lexical and dense shares, not the ranking', () => {
    const assessment = assessSupport(question, hits, () => 1);
    expect(assessment.supported).toBe(true);
    expect(assessment.supporting[0]?.paper.id).toBe('2401.00021');
    expect(assessment.supporting[0]?.score).toBe(0.76); // the retrieval score, as `search` shows it
  });

  it('with the ranking order, the words-only paper leads and the answer is declined', () => {
    const thresholds = { ...DEFAULT_SUPPORT, supportDenseWeight: 0.2 };
    expect(assessSupport(question, hits, () => 1, thresholds).supported).toBe(false);
  });
});

describe('assessSupport with a name no abstract mentions', () => {
  const memories = paper(
    '2401.00012',
    'Feed-forward layers are key-value memories',
    'Feed-forward layers in transformers act as key-value memories over textual patterns.',
  );
  const binding = paper(
    '2401.00013',
    'How language models bind entities',
    'Language models bind entities to attributes with internal binding ID vectors.',
  );
  const idf = (term: string) => (['model', 'languag', 'represent'].includes(term) ? 0.1 : 2);

  it('declines when the best paper holds little of the rest of the question', () => {
    const question = 'how does RLHF with PPO change the internal representations of a language model?';
    const hits: SearchHit[] = [
      { paper: binding, score: 0.8, denseScore: 0.66, denseRank: 1, lexicalScore: 2, lexicalRank: 3 },
    ];
    expect(assessSupport(question, hits, idf)).toMatchObject({ supported: true });
    expect(assessSupport(question, hits, idf, undefined, ['RLHF', 'PPO'])).toMatchObject({
      supported: false,
    });
  });

  it('answers when the best paper holds the rest: the name is another for what it describes', () => {
    const question = 'do FFN layers work as key-value memories?';
    const hits: SearchHit[] = [
      { paper: memories, score: 0.7, denseScore: 0.5, denseRank: 21, lexicalScore: 9, lexicalRank: 1 },
    ];
    expect(assessSupport(question, hits, idf, undefined, ['FFN'])).toMatchObject({ supported: true });
  });

  it('answers when both retrievers rank the same paper first', () => {
    const question = 'how does RLHF with PPO change the internal representations of a language model?';
    const hits: SearchHit[] = [
      { paper: binding, score: 1, denseScore: 0.66, denseRank: 1, lexicalScore: 2, lexicalRank: 1 },
    ];
    expect(assessSupport(question, hits, idf, undefined, ['RLHF', 'PPO'])).toMatchObject({
      supported: true,
    });
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
