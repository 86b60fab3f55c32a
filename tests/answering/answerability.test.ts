import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  answerTypeOf,
  askingPart,
  asksComparison,
  countedNounOf,
  countsCounted,
  figureNounOf,
  namesListed,
  namesOf,
  questionWordsOf,
  statesComparison,
  typeClauseOf,
} from '../../src/answering/answer-type.ts';
import {
  answerabilityFeatures,
  DENSE_FEATURES,
  FEATURE_NAMES,
  type FeatureName,
  type Features,
} from '../../src/answering/answerability-features.ts';
import {
  chooseModel,
  FEATURE_CLIP,
  fitLogistic,
  LEXICAL_MODEL_KEY,
  predict,
  readAnswerabilityParameters,
  type TrainingExample,
} from '../../src/answering/answerability-model.ts';
import {
  BUNDLED_ANSWERABILITY_PATH,
  OFFLINE_EMBEDDING_MODEL,
} from '../../src/answering/answerability-paths.ts';
import { corpusNames } from '../../src/answering/corpus-names.ts';
import type { SearchHit } from '../../src/retrieval/types.ts';

const hit = (title: string, abstract: string, extra: Partial<SearchHit> = {}): SearchHit => ({
  paper: { id: title, title, abstract },
  score: 1,
  ...extra,
});
const context = {
  weight: () => 1,
  isKnownTerm: (term: string) => term !== 'protein',
  isKnownPair: (pair: string) => ['final layer', 'state space', 'bind id'].includes(pair),
};

describe('answerability features', () => {
  it.each([
    ['how many parameters does the model have?', 'number'],
    ['what accuracy does it reach on SNLI?', 'number'],
    ['in what year was WiC released?', 'year'],
    ['which dataset is used to evaluate it?', 'name'],
    ['do intermediate layers beat the last layer?', undefined],
    ['what compression ratio does token pooling achieve?', 'number'],
    ['which optimizer and learning rate schedule were used?', 'name'],
    ['what are the names of the datasets used?', 'name'],
    ['which papers argue that the last layer is best?', undefined],
    ['Which two NL2SQL benchmarks were used to evaluate DeTriever?', 'list'],
    ['which 14 languages are covered?', 'list'],
    ['what did the childrens books memory paper find about how much text to put in one memory', undefined],
    ['What does the AST-Probe paper show about the size of the subspace?', undefined],
    ['Which open-source language model was Synaptic Resonance evaluated on?', 'name'],
    ['which llm does pteb use to generate the paraphrases?', 'name'],
    ['what does the model do?', undefined],
    ['what kind of models are used?', undefined],
    ["what's the perplexity of the dynamic evaluation model on PTB?", 'number'],
    ['whats the vocab size of the unicode tokenizer', 'number'],
    ['which batch size and learning rate did they use to train Nugget?', 'number'],
    ['can llms tell which number is bigger?', undefined],
    ['which open-source model exactly they used to evaluate the memory?', 'name'],
  ])('%s asks for %s', (question, type) => {
    expect(answerTypeOf(question)).toBe(type);
  });

  it('flags a question after a number when no sentence on topic holds one', () => {
    const question = 'how many layers does the layer probe use?';
    const without = answerabilityFeatures(
      question,
      [hit('Layer probe', 'The layer probe reads every layer.')],
      context,
    );
    const withNumber = answerabilityFeatures(
      question,
      [hit('Layer probe', 'The layer probe reads 12 layers of the model.')],
      context,
    );
    expect(without.answerTypeMissing).toBe(1);
    expect(without.typeMissingOnTopic).toBeCloseTo(without.coverageTop1);
    expect(without.typeMissingOnTopic).toBeGreaterThan(0.5);
    expect(withNumber.answerTypeMissing).toBe(0);
    expect(withNumber.typeMissingOnTopic).toBe(0);
  });

  it.each([
    ['We compare the accuracy of LLMs (such as LLaMA 2 and GPT-4) on tasks.', 1],
    ["GPT-4 accuracy on WMT'14 with mod-10 features (1) is compared [2].", 1],
    ['GPT-4 reaches 29.7 accuracy.', 0],
    ['Compared with LLaMA, GPT-4 keeps 20% accuracy.', 0],
  ])('a number question is unanswered by "%s": %s', (sentence, missing) => {
    const question = 'what accuracy does GPT-4 get compared with LLaMA 2?';
    const features = answerabilityFeatures(question, [hit('Probe accuracy', sentence)], context);
    expect(features.answerTypeMissing).toBe(missing);
  });

  it.each([
    ['Evaluations conducted on an open-source language model show lower perplexity.', 1],
    ['Evaluations of the LLM-based memory with LLMs show lower perplexity.', 1],
    ['Our GPT-4 judge rates the memory higher than the baseline.', 1],
    ['Evaluations conducted on the Llama-2 language model show lower perplexity.', 0],
  ])('"which language model" is answered by a sentence naming one: "%s": %s', (sentence, missing) => {
    const question = 'Which open-source language model was the resonant memory evaluated on?';
    const abstract = `We propose a resonant memory for LLMs. ${sentence}`;
    const features = answerabilityFeatures(question, [hit('Resonant memory', abstract)], context);
    expect(features.answerTypeMissing).toBe(missing);
  });

  it.each([
    ['Experiments on the GeoQuery dataset with eight languages show gains.', 0],
    ['Experiments on the GeoQuery dataset cover 8 typologically diverse languages.', 0],
    ['Experiments on the GeoQuery dataset use 8 layers.', 1],
  ])('"how many languages" is answered by a count of languages in "%s": %s', (sentence, missing) => {
    const question =
      'on which dataset and in how many languages was the hybrid tree semantic parser evaluated?';
    const abstract = `We propose a hybrid tree semantic parser. ${sentence}`;
    const features = answerabilityFeatures(question, [hit('Hybrid trees', abstract)], context);
    expect(features.answerTypeMissing).toBe(missing);
  });

  it('measures the question weight the corpus lacks, the best sentence and the focus', () => {
    const features = answerabilityFeatures(
      'do protein layers beat final layers?',
      [
        hit('Layers', 'Intermediate layers beat final layers. Other text follows here.', {
          denseScore: 0.6,
          memorySimilarity: 0,
        }),
      ],
      context,
    );
    expect(features.absentShare).toBeCloseTo(1 / 4);
    expect(features.sentenceCoverage).toBeCloseTo(3 / 4);
    expect(features.cosineTop1).toBe(0.6);
    expect(features.focusHeld).toBe(1);
    expect(features.knownPairsTop1).toBe(1);
    for (const name of FEATURE_NAMES) expect(Number.isFinite(features[name])).toBe(true);
  });

  it('sees a question that joins a phrase of the top paper to a phrase only other papers use', () => {
    const hits = [
      hit('Binding', 'We find the binding ID mechanism in language models.'),
      hit('State space models', 'State space models scale linearly.'),
    ];
    const joined = answerabilityFeatures(
      'does the binding ID mechanism appear in state space models?',
      hits,
      context,
    );
    expect(joined.knownPairsTop1).toBe(0.5);
    const own = answerabilityFeatures('which models have a binding ID mechanism?', hits, context);
    expect(own.knownPairsTop1).toBe(1);
    // No phrase of the corpus in the question: missing, not 0.
    expect(answerabilityFeatures('which models bind?', hits, context).knownPairsTop1).toBeNaN();
  });

  it('needs a sentence naming one of the counted things a "which two X" question asks for', () => {
    const question = 'Which two NL2SQL benchmarks were used to evaluate DeTriever?';
    const counted = hit(
      'DeTriever',
      'DeTriever is evaluated on two NL2SQL benchmarks and beats 8 baselines.',
    );
    const named = hit('DeTriever', 'DeTriever is evaluated on the Spider and BIRD benchmarks.');
    expect(answerabilityFeatures(question, [counted], context).answerTypeMissing).toBe(1);
    expect(answerabilityFeatures(question, [named], context).answerTypeMissing).toBe(0);
    const known = (stem: string) => ['nl2sql', 'benchmark', 'detriev'].includes(stem);
    expect(namesListed('We use two NL2SQL benchmarks.', 'benchmark', known)).toBe(false);
    expect(namesListed('On Spider, a hard benchmark.', 'benchmark', known)).toBe(true);
    // A capitalised first word is no name; a capitalised stopword mid-sentence names nothing.
    expect(namesListed('Benchmarks In use.', 'benchmark', known)).toBe(false);
  });

  it('counts a shortened word as the counted noun, five letters or more', () => {
    const words = questionWordsOf('how many params?');
    expect(countsCounted('We scale it to 3.5 billion parameters.', 'param', words)).toBe(true);
    expect(countsCounted('We scale it to 3.5 billion parameters.', 'para', words)).toBe(false);
    expect(countsCounted('We train 12 layers.', 'layer', words)).toBe(true);
  });

  it('takes the sentences ending in a question mark as the asking part, else the whole question', () => {
    expect(askingPart('Our clinic has a small server. How many parameters does it have?')).toBe(
      'How many parameters does it have?',
    );
    expect(askingPart('What BLEU? And on which pair? We need it.')).toBe('What BLEU? And on which pair?');
    expect(askingPart('so how many layers does it have')).toBe('so how many layers does it have');
  });

  it('reads the noun of a figure asked after "what" or "which"', () => {
    expect(figureNounOf('What inter-annotator agreement did the WiC dataset reach?')).toBe('agreement');
    expect(figureNounOf("what's the compression ratio of Nugget?")).toBe('ratio');
    expect(figureNounOf('Which learning rate did they use?')).toBe('learning rate');
    expect(figureNounOf('What number of layers is best?')).toBeUndefined();
    expect(figureNounOf('What does Nugget compress?')).toBeUndefined();
  });

  it('counts the head of the phrase after "how many", ended by a verb or a name', () => {
    // "distinct" describes what is counted; "100 unique features" counts it.
    expect(countedNounOf('how many distinct features were sought, and in how many models?')).toBe('featur');
    expect(countedNounOf('how many sentence pairs does WiC hold?')).toBe('pair');
    expect(countedNounOf('how many nested sub-models SortedNet trained at once?')).toBe('sub');
    expect(countedNounOf('how many of the layers matter?')).toBeUndefined();
    expect(
      countsCounted(
        'In all, we probe for over 100 unique features in 7 different models.',
        countedNounOf('how many distinct features were sought?')!,
        new Set(['how', 'many', 'distinct', 'features', 'were', 'sought']),
      ),
    ).toBe(true);
  });

  it('reads a unit of measure after "how many" as asking a figure, not a count of the unit', () => {
    expect(countedNounOf('how many languages does it cover?')).toBe('languag');
    expect(countedNounOf('how many points does editing weights add?')).toBeUndefined();
    expect(countedNounOf('how many percent better is it?')).toBeUndefined();
    expect(countedNounOf('how many times smaller is the student?')).toBeUndefined();
    // "over 20%" states the gain a "how many points" question asks; no sentence counts "points".
    const question = 'Talking Heads: how many points does editing weights add on the Laundry List task?';
    const abstract =
      'We edit model weights to improve performance on our Laundry List task, often improving task accuracy by over 20%.';
    const features = answerabilityFeatures(question, [hit('Talking Heads', abstract)], context);
    expect(features.answerTypeMissing).toBe(0);
    const without = answerabilityFeatures(
      question,
      [hit('Talking Heads', 'We edit model weights to improve performance on our Laundry List task.')],
      context,
    );
    expect(without.answerTypeMissing).toBe(1);
  });

  it('reads a figure stated as a comparison as the answer to "how much smaller and faster", in the first paper or one on topic', () => {
    expect(asksComparison('bert distilled into bilstm, how much smaller/faster?')).toBe(true);
    expect(asksComparison('how many times faster is it?')).toBe(true);
    expect(asksComparison('how much text per memory slot worked best?')).toBe(false);
    // Asked with a verb of change (found on team-bl).
    expect(asksComparison('By roughly how much did they beat the autoregressive embedder?')).toBe(true);
    expect(asksComparison('how much did accuracy improve on WiC?')).toBe(true);
    expect(asksComparison('how much data did they train on?')).toBe(false);
    expect(
      statesComparison('It uses roughly 100 times fewer parameters and 15 times less inference time.'),
    ).toBe(true);
    expect(statesComparison('It is 3x faster and needs 20% less memory.')).toBe(true);
    expect(statesComparison('It reaches a perplexity of 51.1.')).toBe(false);
    // A change stated by its size (found on team-bl: "how much shorter did inputs get?").
    expect(
      statesComparison('This on average reduces token sequence lengths by >20% across 14 languages.'),
    ).toBe(true);
    expect(statesComparison('It outperforms the LLM-based embedding model by 20% on long documents.')).toBe(
      true,
    );
    expect(statesComparison('often improving task accuracy by over 20%')).toBe(true);
    expect(statesComparison('It was trained by 20 annotators in 2019.')).toBe(false);
    expect(statesComparison('Accuracy improves; we release 12 models by 2024.')).toBe(false);
    const question = 'how much smaller and faster is the bilstm distilled from bert?';
    const abstract = 'We distill BERT into a BiLSTM. We match ELMo while using 100 times fewer parameters.';
    expect(
      answerabilityFeatures(question, [hit('Distilling BERT', abstract)], context).answerTypeMissing,
    ).toBe(0);
    // The same sentence in a later paper off the question's topic states nothing asked.
    const other = hit('Pruning', 'We prune networks. They use 100 times fewer parameters.');
    const first = hit('Sparse attention', 'We study sparse attention in transformers.');
    expect(answerabilityFeatures(question, [first, other], context).answerTypeMissing).toBe(1);
    // The first paper answers a comparison asked in other words than its own ("squeezed", "little").
    const reworded =
      "How much smaller and faster was the little BiLSTM that BERT's know-how was squeezed into?";
    const distilled = hit(
      'Distilling task-specific knowledge',
      'We propose to distill knowledge into a single-layer network. We achieve comparable results while using roughly 100 times fewer parameters and 15 times less inference time.',
    );
    expect(answerabilityFeatures(reworded, [distilled, other], context).answerTypeMissing).toBe(0);
    expect(answerabilityFeatures(reworded, [first, distilled], context).answerTypeMissing).toBe(1);
  });

  it('takes a later clause asking the answer type as on topic by itself', () => {
    const question =
      'I saw something about days of the week as circles inside a language model. Which models did they look at?';
    expect(typeClauseOf(question, answerTypeOf(question))).toBe('which models did they look at?');
    expect(typeClauseOf('which models did they look at?', 'name')).toBeUndefined();
    const hits = [
      hit('Circles', 'Days of the week form circles inside a language model. We study models such as GPT-2.'),
    ];
    expect(answerabilityFeatures(question, hits, context).answerTypeMissing).toBe(0);
    const none = [hit('Circles', 'Days of the week form circles inside a language model. We study models.')];
    expect(answerabilityFeatures(question, none, context).answerTypeMissing).toBe(1);
  });

  it('sees a question whose two halves only different papers hold', () => {
    const hits = [
      hit('MemTree', 'MemTree organises memory as a tree for dialogue.'),
      hit('Larimar', 'Larimar is tested on passkey and needle tests.'),
    ];
    const joined = answerabilityFeatures(
      'was memtree memory tested on the passkey needle tests?',
      hits,
      context,
    );
    const own = answerabilityFeatures('was larimar tested on passkey needle tests?', hits, context);
    expect(joined.halvesTop3).toBeCloseTo(1 / 3);
    expect(own.halvesTop3).toBe(1);
    expect(joined.coverageTop3).toBe(1);
    expect(answerabilityFeatures('memtree?', hits, context).halvesTop3).toBeNaN();
  });

  it('stretches low top-3 coverage on a log scale: barely touched falls far below half covered', () => {
    const hits = [hit('Embeddings', 'Sentence embeddings are truncated to fewer dimensions.')];
    const half = answerabilityFeatures('are sentence embeddings good for bread recipes?', hits, context);
    const none = answerabilityFeatures('a good recipe for banana bread?', hits, context);
    expect(half.logCoverageTop3).toBeCloseTo(Math.log(0.05 + half.coverageTop3));
    expect(none.coverageTop3).toBe(0);
    expect(none.logCoverageTop3).toBeCloseTo(Math.log(0.05));
    // Equal steps of coverage weigh more at the low end.
    expect(half.logCoverageTop3 - none.logCoverageTop3).toBeGreaterThan(
      Math.log(1.05) - Math.log(0.05 + half.coverageTop3),
    );
  });

  it('takes no shouted stopword for a name no abstract uses', () => {
    const hits = [hit('Embeddings', 'Embeddings can be truncated and run through fewer layers.')];
    const shouted = answerabilityFeatures(
      'embeddings cut shorter AND run through fewer layers?',
      hits,
      context,
    );
    expect(shouted.absentName).toBe(0);
    const named = answerabilityFeatures('embeddings cut shorter with QZXLoRA?', hits, {
      ...context,
      isKnownTerm: (term: string) => term !== 'qzxlora',
    });
    expect(named.absentName).toBe(1);
  });

  it('reads the names a question writes: acronyms, CamelCase, capitalised words that open no sentence', () => {
    const stemsOf = (question: string) => namesOf(question).map((name) => name.stems);
    expect(stemsOf('Which language-specific neurons does LAPE find in Mistral 7B?')).toEqual([
      ['lape'],
      ['mistral'],
    ]);
    expect(stemsOf('How well does the Large Concept Model do? Is ELMo on WiC?')).toEqual([
      ['larg'],
      ['concept'],
      ['model'],
      ['elmo'],
      ['wic'],
    ]);
    expect(stemsOf('which neurons does lape find in mistral?')).toEqual([]);
  });

  it('sees two names the corpus knows that no one of the first three papers holds together', () => {
    const hits = [
      hit('LAPE', 'LAPE finds language-specific neurons in LLaMA.'),
      hit('Mistral probes', 'We probe Mistral and LLaMA for truth directions.'),
    ];
    const joined = 'Which language-specific neurons does LAPE find in Mistral?';
    expect(answerabilityFeatures(joined, hits, context).namesApart).toBe(1);
    const together = 'Which language-specific neurons does LAPE find in LLaMA?';
    expect(answerabilityFeatures(together, hits, context).namesApart).toBe(0);
    // One name, or a name no paper uses (that is `absentName`), joins nothing.
    expect(answerabilityFeatures('Which neurons does LAPE find?', hits, context).namesApart).toBe(0);
    const unknown = { ...context, isKnownTerm: (term: string) => term !== 'mistral' };
    expect(answerabilityFeatures(joined, hits, unknown).namesApart).toBe(0);
  });

  it('counts the words the abstracts write as names when a question writes them in lower case', () => {
    const hits = [
      hit('LAPE', 'With LAPE we find language-specific neurons in LLaMA.'),
      hit('Mistral probes', 'We probe Mistral and LLaMA for truth directions.'),
    ];
    const lowerCase = 'which language-specific neurons does lape find in mistral?';
    // Without the corpus's names a lower-case question names nothing.
    expect(answerabilityFeatures(lowerCase, hits, context).namesApart).toBe(0);
    const names = new Set(corpusNames(hits.map((found) => found.paper.abstract)));
    const withNames = { ...context, isCorpusName: (stem: string) => names.has(stem) };
    expect(answerabilityFeatures(lowerCase, hits, withNames).namesApart).toBe(1);
    const together = 'which language-specific neurons does lape find in llama?';
    expect(answerabilityFeatures(together, hits, withNames).namesApart).toBe(0);
  });

  it('reads a word the corpus uses but never writes as a name as no name ("TASK:", "NEED:")', () => {
    const hits = [
      hit('Mamba probes', 'We probe Mamba for syntax in the middle layers, a task we need to study.'),
      hit('Syntax probes', 'Probing finds syntax in BERT; the format of the task matters.'),
    ];
    const names = new Set(corpusNames(hits.map((found) => found.paper.abstract)));
    const withNames = { ...context, isCorpusName: (stem: string) => names.has(stem) };
    const request = 'TASK: explain | TOPIC: syntax probes on Mamba | NEED: which layers | FORMAT: short';
    // Before: "TASK", "TOPIC", "NEED" and "FORMAT" were four names no paper holds with Mamba.
    expect(answerabilityFeatures(request, hits, withNames)).toMatchObject({
      namesApart: 0,
      nameMissingOnTopic: 0,
    });
    // A name the abstracts write as one still counts: Mamba and BERT are held by no paper together.
    expect(
      answerabilityFeatures('Which layers hold syntax in Mamba and BERT?', hits, withNames).namesApart,
    ).toBe(1);
  });

  it("gives the first paper's coverage when it lacks a name the corpus knows, else 0", () => {
    const hits = [
      hit('Sparse autoencoders', 'We train sparse autoencoders on GPT-2 residual streams.'),
      hit('Mamba probes', 'We probe Mamba state space models.'),
    ];
    const names = new Set(corpusNames(hits.map((found) => found.paper.abstract)));
    const withNames = { ...context, isCorpusName: (stem: string) => names.has(stem) };
    const joined = answerabilityFeatures('sparse autoencoders trained on mamba?', hits, withNames);
    expect(joined.nameMissingOnTopic).toBeCloseTo(joined.coverageTop1);
    expect(joined.nameMissingOnTopic).toBeGreaterThan(0);
    const held = answerabilityFeatures('sparse autoencoders trained on gpt-2?', hits, withNames);
    expect(held.nameMissingOnTopic).toBe(0);
  });

  it('reads the sentences that ask, not the scene set before them', () => {
    const hits = [hit('Latent English', 'Multilingual models route their thinking through English.')];
    const asked = 'Do multilingual models route their thinking through English?';
    const scene = answerabilityFeatures(`I'm writing a long feature for a magazine. ${asked}`, hits, context);
    expect(scene).toEqual(answerabilityFeatures(asked, hits, context));
    expect(scene.coverageTop1).toBe(1);
    // Without a question mark every sentence asks: the scene's words count.
    const unmarked = answerabilityFeatures(
      "I'm writing a long feature for a magazine. Tell me whether multilingual models route their thinking through English.",
      hits,
      context,
    );
    expect(unmarked.coverageTop1).toBeLessThan(0.6);
    expect(unmarked.clauseCoverageTop1).toBe(1);
  });

  it("takes the first paper's coverage of the question's best-covered sentence or dash-separated part", () => {
    const hits = [hit('Latent English', 'Multilingual models route their thinking through English.')];
    const dashed = answerabilityFeatures(
      'magazine feature on translation - multilingual models thinking in English?',
      hits,
      context,
    );
    expect(dashed.clauseCoverageTop1).toBe(1);
    // One part: the whole question's coverage; a one-word part does not count.
    const plain = answerabilityFeatures(
      'Do multilingual models think in English for magazines?',
      hits,
      context,
    );
    expect(plain.clauseCoverageTop1).toBe(plain.coverageTop1);
    const short = answerabilityFeatures('Magazines and newspapers everywhere. English?', hits, context);
    expect(short.clauseCoverageTop1).toBe(short.coverageTop1);
  });

  it("reads the first paper's nearest judged question, 0 when the memory lent nothing, missing without one", () => {
    const question = 'does LAPE find language neurons?';
    const found = hit('LAPE', 'LAPE finds language-specific neurons.');
    expect(answerabilityFeatures(question, [{ ...found, memorySimilarity: 0.82 }], context).memoryTop1).toBe(
      0.82,
    );
    expect(answerabilityFeatures(question, [{ ...found, memorySimilarity: 0 }], context).memoryTop1).toBe(0);
    expect(answerabilityFeatures(question, [found], context).memoryTop1).toBeNaN();
  });

  it('gives a one-word question no bigram shares (missing, not a copy of its coverage)', () => {
    const features = answerabilityFeatures('LAPE?', [hit('LAPE', 'LAPE finds neurons.')], context);
    expect(features.coverageTop1).toBe(1);
    expect(features.bigramTop1).toBeNaN();
    expect(features.sentenceBigrams).toBeNaN();
  });
});

function example(value: number, label: 0 | 1): TrainingExample {
  const features = Object.fromEntries(FEATURE_NAMES.map((name) => [name, 0])) as Features;
  features.sentenceCoverage = value;
  features.coverageTop1 = (value * 7) % 1;
  return { features, label, weight: 1 };
}

describe('answerability model', () => {
  const examples = [0.1, 0.2, 0.3, 0.45, 0.55, 0.6, 0.7, 0.9].map((value, index) =>
    example(value, value > 0.5 || index === 3 ? 1 : 0),
  );

  it('fits deterministically: the same examples give identical parameters', () => {
    const first = fitLogistic(examples, ['sentenceCoverage', 'coverageTop1']);
    const second = fitLogistic([...examples], ['sentenceCoverage', 'coverageTop1']);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(first.weights[0]).toBeGreaterThan(0);
    const model = { ...first, thresholds: { decline: 0.2, answer: 0.8 } };
    expect(predict(model, example(0.9, 1).features)).toBeGreaterThan(
      predict(model, example(0.1, 0).features),
    );
  });

  it('treats a missing feature as neutral and clips one far outside the training range', () => {
    const model = {
      features: ['sentenceCoverage', 'length'] as FeatureName[],
      mean: [0.5, 2],
      scale: [0.1, 0.5],
      weights: [1, 2],
      bias: 0,
      thresholds: { decline: 0.1, answer: 0.6 },
    };
    const at = (sentenceCoverage: number, length: number) =>
      predict(model, { ...example(0, 0).features, sentenceCoverage, length });
    expect(at(Number.NaN, 2)).toBe(0.5);
    // Three standard deviations at most: a length 10 deviations short counts as 3.
    expect(at(0.5, -3)).toBeCloseTo(1 / (1 + Math.exp(2 * FEATURE_CLIP)), 12);
    expect(at(0.5, -3)).toBe(at(0.5, 2 - FEATURE_CLIP * 0.5));
  });

  it('ships parameters for the offline embedding model and a lexical-only fallback without dense features', () => {
    const parameters = readAnswerabilityParameters(BUNDLED_ANSWERABILITY_PATH);
    expect(chooseModel(parameters, OFFLINE_EMBEDDING_MODEL)).toMatchObject({ fallback: false });
    const openai = chooseModel(parameters, 'openai:text-embedding-3-small');
    expect(openai).toMatchObject({ fallback: true, key: LEXICAL_MODEL_KEY });
    expect(openai.model.features.some((name) => DENSE_FEATURES.includes(name))).toBe(false);
    for (const { model } of [chooseModel(parameters, OFFLINE_EMBEDDING_MODEL), openai]) {
      expect(model.thresholds.decline).toBeLessThan(model.thresholds.answer);
    }
  });

  it('says how to refit when the parameter file is missing or malformed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperbot-answerability-'));
    try {
      expect(() => readAnswerabilityParameters(join(dir, 'none.json'))).toThrow(
        /not found.*fit-answerability/,
      );
      writeFileSync(join(dir, 'bad.json'), '{"version":1,"models":{"lexical-only":{"features":["nope"]}}}');
      expect(() => readAnswerabilityParameters(join(dir, 'bad.json'))).toThrow(
        /malformed.*fit-answerability/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
