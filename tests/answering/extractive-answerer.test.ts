import { describe, expect, it } from 'vitest';
import { ExtractiveAnswerer, topicOf } from '../../src/answering/extractive-answerer.ts';
import { citationsValid } from '../../src/evaluation/evaluate.ts';
import { tokenize } from '../../src/retrieval/tokenize.ts';
import type { SearchHit } from '../../src/retrieval/types.ts';
import { coverageModels } from './answering-fixtures.ts';

const hit = (
  id: string,
  title: string,
  abstract: string,
  denseScore: number,
  score = denseScore,
): SearchHit => ({
  paper: { id, title, abstract },
  score,
  denseScore,
});

const layers = hit(
  '2401.00001',
  'Layer by layer',
  'We study hidden states across depth. Intermediate layers give better representations than the last layer on many tasks. We release code.',
  0.7,
);
const heads = hit(
  '2401.00002',
  'Successor heads',
  'Attention heads increment tokens such as Monday to Tuesday. They appear in many models.',
  0.3,
  0.2,
);
const perplexity = hit(
  '2401.00003',
  'Dynamic evaluation',
  'Dynamic evaluation adapts a model at test time. It reaches a perplexity of 51.1 on Penn Treebank and 44.3 on WikiText-2.',
  0.66,
);

describe('ExtractiveAnswerer', () => {
  const answerer = new ExtractiveAnswerer(coverageModels);

  it('quotes the most relevant sentence of each supporting abstract, each cited, with numbered sources', async () => {
    const answer = await answerer.answer({
      question: 'do intermediate layers give better representations than the last layer?',
      history: [],
      hits: [layers, heads],
    });
    expect(answer.declined).toBe(false);
    expect(answer.answer).toMatch(
      /Layer by layer: Intermediate layers give better representations than the last layer on many tasks\. We release code\. \[1\]/,
    );
    expect(answer.sources[0]).toMatchObject({
      n: 1,
      paperId: '2401.00001',
      title: 'Layer by layer',
      link: 'https://arxiv.org/abs/2401.00001',
    });
    expect(answer.citations.map((citation) => citation.n)).toEqual(answer.sources.map((source) => source.n));
    expect(citationsValid(answer, [layers, heads])).toBe(true);
  });

  it('declines when no abstract supports the question', async () => {
    const answer = await answerer.answer({
      question: 'which papers use protein embeddings to predict folding?',
      history: [],
      hits: [{ ...heads, denseScore: 0.3 }],
    });
    expect(answer.declined).toBe(true);
    expect(answer.answer).toBe(
      'I found no paper in the corpus about "protein embeddings to predict folding".',
    );
    expect(answer.citations).toEqual([]);
  });

  it('declines naming the closest paper when it is on the topic but no passage answers', async () => {
    // Each sentence holds a third of the question's words (declined by the hand-set model), the
    // abstract all of them: a paper about it exists, so "no paper about" would be false.
    const spread = hit(
      '2401.00004',
      'Circuits',
      'Successor heads are studied. They increment ordinal values in attention. Weekday tokens are one example.',
      0.3,
    );
    const answer = await answerer.answer({
      question: 'do successor heads increment weekday tokens in attention?',
      history: [],
      hits: [spread],
    });
    expect(answer.outcome).toBe('declined');
    expect(answer.declined).toBe(true);
    expect(answer.answer).toBe(
      'The abstracts in the corpus do not seem to answer this. The closest paper is "Circuits" [1]; its abstract may not state what you ask.',
    );
    expect(answer.sources.map((source) => source.paperId)).toEqual(['2401.00004']);
    expect(citationsValid(answer, [spread])).toBe(true);
  });

  it('carries the outcome and the calibrated confidence', async () => {
    const answer = await answerer.answer({
      question: 'do intermediate layers give better representations than the last layer?',
      history: [],
      hits: [layers],
    });
    expect(answer).toMatchObject({ outcome: 'answered', declined: false });
    expect(answer.confidence).toBeGreaterThanOrEqual(0.75);
    const declined = await answerer.answer({ question: 'protein folding?', history: [], hits: [heads] });
    expect(declined).toMatchObject({ outcome: 'declined', declined: true });
    expect(declined.confidence).toBeLessThan(0.25);
  });

  it('is uncertain between the thresholds: names the closest papers, does not claim support', async () => {
    const answer = await answerer.answer({
      question: 'do attention heads increment weekdays in speech models?',
      history: [],
      hits: [heads],
    });
    expect(answer).toMatchObject({ outcome: 'uncertain', declined: false });
    expect(answer.answer).toMatch(
      /^The closest papers are "Successor heads" \[1\]; the abstracts may not answer this\.\n- Successor heads: /,
    );
    expect(citationsValid(answer, [heads])).toBe(true);
  });

  it('hedges instead of declining when the hits were narrowed to a subset (a question naming dates)', async () => {
    const request = { question: 'which papers use protein embeddings to predict folding?', history: [] };
    const hits = [{ ...heads, denseScore: 0.3 }];
    expect(await answerer.answer({ ...request, hits })).toMatchObject({ outcome: 'declined' });
    const narrowed = await answerer.answer({ ...request, hits, narrowed: true });
    expect(narrowed).toMatchObject({ outcome: 'uncertain', declined: false });
    expect(narrowed.sources.map((source) => source.paperId)).toEqual([heads.paper.id]);
    // Nothing left after narrowing is still a decline.
    expect(await answerer.answer({ ...request, hits: [], narrowed: true })).toMatchObject({ declined: true });
  });

  it('declines when retrieval found nothing', async () => {
    const answer = await answerer.answer({ question: 'anything at all?', history: [], hits: [] });
    expect(answer).toMatchObject({ declined: true, citations: [], sources: [] });
  });

  it('says a figure is not stated, citing the closest paper, instead of inventing one', async () => {
    const answer = await answerer.answer({
      question: 'what perplexity does dynamic evaluation reach on WikiText-103?',
      history: [],
      hits: [perplexity],
    });
    expect(answer.declined).toBe(true);
    expect(answer.answer).toMatch(/do not state that figure.*"Dynamic evaluation" \[1\]/);
    expect(answer.answer).not.toMatch(/\d+\.\d/);
    expect(answer.citations).toEqual([{ n: 1, paperId: '2401.00003', title: 'Dynamic evaluation' }]);
  });

  it('quotes a figure the abstract does state', async () => {
    const answer = await answerer.answer({
      question: 'what perplexity does dynamic evaluation reach on WikiText-2?',
      history: [],
      hits: [perplexity],
    });
    expect(answer.declined).toBe(false);
    expect(answer.answer).toContain('44.3 on WikiText-2');
  });

  it.each([
    [
      'on how many SentEval tasks did the BiLSTM encoder beat InferSent?',
      'We propose a BiLSTM encoder for entailment. Its embeddings beat InferSent on 7 out of 10 SentEval tasks.',
      '7 out of 10',
    ],
    [
      'in how many languages was the hybrid tree parser evaluated?',
      'We propose a hybrid tree parser. It is evaluated on the GeoQuery dataset with eight languages.',
      'eight languages',
    ],
  ])(
    'quotes a figure stated in another sentence than the names, or in words: %s',
    async (question, abstract, figure) => {
      const paper = hit('2401.00009', 'Parsing and encoders', abstract, 0.66);
      const answer = await answerer.answer({ question, history: [], hits: [paper] });
      expect(answer.declined).toBe(false);
      expect(answer.answer).toContain(figure);
    },
  );

  it('takes a count of what "how many X" counts for the figure, in a sentence with few of the question\'s words', async () => {
    const paper = hit(
      '2401.00011',
      'Dependency-based hybrid trees',
      'We propose a dependency-based hybrid tree model for semantic parsing. Experiments on the multilingual GeoQuery dataset with eight languages show state-of-the-art results.',
      0.66,
    );
    const question =
      'On which dataset, and in how many languages, was the dependency-based hybrid tree semantic parser evaluated?';
    const answer = await answerer.answer({ question, history: [], hits: [paper] });
    expect(answer.declined).toBe(false);
    expect(answer.answer).toContain('eight languages');
    // A count of something else is no answer.
    const other = await answerer.answer({
      question: 'how many layers does the hybrid tree semantic parser have?',
      history: [],
      hits: [paper],
    });
    expect(other.answer).toMatch(/do not state that figure/);
  });

  it('finds the figure for the asking sentence: a name of the scene set first does not veto it, a name is held as its stems', async () => {
    const paper = hit(
      '2401.00012',
      'Visual text representations',
      'We render text as images for translation. Visual models reach 25.9 BLEU on a character permuted German-English task where subword models degrade to 1.9.',
      0.66,
    );
    // Before: "I found no sentence stating that figure" ("CPU" is no name of the paper, and
    // "German-to-English" is written "German-English").
    const answer = await answerer.answer({
      question:
        'Our clinic has a modest CPU server. What BLEU did the visual text model keep on German-to-English with shuffled characters?',
      history: [],
      hits: [paper],
    });
    expect(answer.answer).toContain('25.9 BLEU');
    // A name of the asking sentence the paper lacks still means the figure is not stated.
    const other = await answerer.answer({
      question: 'What BLEU did the visual text model keep on French-to-English with shuffled characters?',
      history: [],
      hits: [paper],
    });
    expect(other.answer).not.toContain('25.9');
  });

  it('does not take the number in a name ("GPT-4") for the figure asked', async () => {
    const paper = hit(
      '2401.00010',
      'Event ordering',
      'We evaluate GPT-4 on event ordering in stories.',
      0.66,
    );
    const answer = await answerer.answer({
      question: 'what accuracy does GPT-4 get on event ordering?',
      history: [],
      hits: [paper],
    });
    // The score finds the paper on topic (answered); no sentence states the figure, so the outcome
    // is one step lower: uncertain, citing the closest paper, with no figure invented.
    expect(answer.outcome).toBe('uncertain');
    expect(answer.answer).toBe(
      'I found no sentence stating that figure. The closest match is "Event ordering" [1]; its abstract may not state it.',
    );
  });

  it('declines questions about venues, which abstracts never state', async () => {
    const answer = await answerer.answer({
      question: 'which conference published the layer by layer paper on intermediate layers?',
      history: [],
      hits: [layers],
    });
    expect(answer.declined).toBe(true);
    expect(answer.answer).toMatch(/do not state where or when/);
  });

  it('names authors when the record carries them', async () => {
    const withAuthors: SearchHit = {
      ...layers,
      paper: { ...layers.paper, authors: ['Ada Lovelace', 'Alan Turing'] },
    };
    const answer = await answerer.answer({
      question: 'who wrote the paper on intermediate layers and the last layer?',
      history: [],
      hits: [withAuthors],
    });
    expect(answer.declined).toBe(false);
    expect(answer.answer).toContain('Ada Lovelace, Alan Turing [1]');
  });
});

describe('topicOf', () => {
  it.each([
    ['Which papers use protein language models?', '"protein language models"'],
    ['is there work on watermarking text?', '"watermarking text"'],
    ['how does RLHF change the reward model?', '"RLHF change the reward model"'],
    ['?', 'that'],
  ])('%s -> %s', (question, topic) => {
    expect(topicOf(question)).toBe(topic);
  });
});

describe('ExtractiveAnswerer naming what the corpus lacks', () => {
  it('declines a question about a named method no abstract mentions, and names it', async () => {
    const known = new Set(tokenize('attention heads increment Monday Tuesday tokens models change', false));
    const answerer = new ExtractiveAnswerer({ ...coverageModels, isKnownTerm: (term) => known.has(term) });
    const hits: SearchHit[] = [{ ...heads, score: 0.8, denseScore: 0.7, denseRank: 1, lexicalRank: 2 }];
    const question = 'how does RLHF change reward calibration in heads?';
    const answer = await answerer.answer({ question, history: [], hits });
    expect(answer.declined).toBe(true);
    expect(answer.answer).toBe(
      'I found no paper in the corpus about "RLHF change reward calibration in heads". No abstract in it mentions "RLHF", "reward", "calibration".',
    );
    const shouted = await answerer.answer({ question: question.toUpperCase(), history: [], hits });
    expect(shouted.declined).toBe(true);
  });

  it('finds an unknown name inside a compound the corpus knows in part', async () => {
    const known = new Set(tokenize('attention heads increment Monday Tuesday tokens models pre', false));
    const answerer = new ExtractiveAnswerer({ ...coverageModels, isKnownTerm: (term) => known.has(term) });
    const hits: SearchHit[] = [{ ...heads, score: 0.8, denseScore: 0.7, denseRank: 1, lexicalRank: 2 }];
    const answer = await answerer.answer({
      question: 'does pre-LN change how attention heads increment Monday?',
      history: [],
      hits,
    });
    expect(answer).toMatchObject({ outcome: 'uncertain', declined: false });
    expect(answer.answer).toMatch(
      /^The closest papers are "Successor heads" \[1\]; the abstracts may not answer this \(none uses "LN", "change"\)\./,
    );
  });

  it('names the words no abstract uses when it declines', async () => {
    const known = new Set(tokenize('attention heads increment Monday Tuesday tokens models', false));
    const answerer = new ExtractiveAnswerer({ ...coverageModels, isKnownTerm: (term) => known.has(term) });
    const answer = await answerer.answer({
      question: 'which papers fold proteins?',
      history: [],
      hits: [{ ...heads, denseScore: 0.3 }],
    });
    expect(answer.declined).toBe(true);
    expect(answer.answer).toBe(
      'I found no paper in the corpus about "fold proteins". No abstract in it mentions "fold", "proteins".',
    );
  });

  it('says which words of the question no abstract uses in an answer', async () => {
    const known = new Set(tokenize('attention heads increment Monday Tuesday tokens models', false));
    const answerer = new ExtractiveAnswerer({ ...coverageModels, isKnownTerm: (term) => known.has(term) });
    const answer = await answerer.answer({
      question: 'do attention heads increment Monday in protein models?',
      history: [],
      hits: [{ ...heads, denseScore: 0.7 }],
    });
    expect(answer).toMatchObject({ outcome: 'answered', declined: false });
    expect(answer.answer).toMatch(
      /^From the abstracts in the corpus \(none uses "protein"\):\n- Successor heads:/,
    );
  });
});
