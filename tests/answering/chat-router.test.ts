import { describe, expect, it } from 'vitest';
import type { Answer, Answerer, ConversationTurn } from '../../src/answering/answerer.ts';
import { createChatRouter } from '../../src/answering/chat-router.ts';
import { askedAbout } from '../../src/answering/chat-topic.ts';
import { useBundledPaperIndex, useBundledRuntime } from '../helpers/temp-index.ts';

const CODEGEN2 = 'seed-070';
const CODEGEN2_TITLE = 'CodeGen2: Lessons for Training LLMs on Programming and Natural Languages';
const RELEASE = 'release CodeGen2 models in size 1B, 3.7B, 7B, and, 16B parameters';

function citedPapers(answer: Answer): string[] {
  return answer.citations.map((citation) => citation.paperId);
}

describe('askedAbout', () => {
  it('keeps what a question asks besides the name, without question words, gist words or punctuation', () => {
    expect(askedAbout('codegen2 main takeaways', 'CodeGen2')).toBe('');
    expect(askedAbout("what's Nugget about, in a nutshell?", 'Nugget')).toBe('');
    expect(askedAbout('tl;dr of the SortedNet paper', 'SortedNet')).toBe('');
    expect(askedAbout('codegen2 - what model sizes did they put out', 'CodeGen2')).toBe('model sizes put');
    expect(askedAbout('Does LMentry report results for Llama 2?', 'LMentry')).toBe(
      'report results for Llama 2',
    );
    expect(askedAbout('tell me more about the second one', '', true)).toBe('');
    expect(askedAbout('which of them evaluate on MTEB?', '', true)).toBe('evaluate on MTEB');
  });
});

describe('named papers over the bundled corpus', () => {
  const bundled = useBundledRuntime();

  it('describes a named paper when asked for its gist, in any of the usual words', async () => {
    // Before: 'The abstract of "CodeGen2: …" does not mention "main takeaways"', declined.
    for (const question of [
      'codegen2 main takeaways',
      'CodeGen2 key findings?',
      'what did they find in CodeGen2?',
      'What are the contributions of CodeGen2?',
      'tl;dr of CodeGen2',
      'give me a summary of the CodeGen2 paper',
      'CodeGen2 overview',
      'CodeGen2 in a nutshell',
      "what's CodeGen2 about?",
      'the gist of CodeGen2, please',
    ]) {
      const answer = await bundled.runtime.bot.ask(question);
      expect([question, answer.outcome, citedPapers(answer)]).toEqual([question, 'answered', [CODEGEN2]]);
      expect(answer.answer.startsWith(`"${CODEGEN2_TITLE}" [1]: Large language models`)).toBe(true);
    }
  });

  it('asked to name counted things, quotes a sentence naming them or says the abstract does not', async () => {
    // Before: answered with a sentence that counts the benchmarks ("two popular NL2SQL benchmarks").
    const unnamed = await bundled.runtime.bot.ask(
      'Which two NL2SQL benchmarks were used to evaluate DeTriever?',
    );
    expect(unnamed).toMatchObject({ outcome: 'declined', declined: true });
    expect(unnamed.answer).toMatch(
      /^The abstract of "DeTriever: [^"]+" does not state which two NL2SQL benchmarks \[1\]\.$/,
    );
    expect(citedPapers(unnamed)).toEqual(['seed-030']);
    const named = await bundled.runtime.bot.ask(
      'Which three spatial datasets did Language Models Represent Space and Time analyze?',
    );
    expect(named.outcome).toBe('answered');
    expect(named.answer).toContain('three spatial datasets (world, US, NYC places)');
    expect(citedPapers(named)).toEqual(['seed-034']);
  });

  it('quotes the sentence stating the model sizes', async () => {
    // Before: 'does not mention "- model sizes did put out"' (declined), and "released" read as a date.
    for (const question of [
      'codegen2 - what model sizes did they put out',
      'What parameter sizes were the CodeGen2 models released in?',
      'how big are the CodeGen2 models?',
    ]) {
      const answer = await bundled.runtime.bot.ask(question);
      expect([question, answer.outcome, citedPapers(answer)]).toEqual([question, 'answered', [CODEGEN2]]);
      expect(answer.answer).toContain(RELEASE);
    }
  });

  it('quotes the sentence stating parameter counts and token budgets, else says it is not stated', async () => {
    // Before: both uncertain ("parameter counts" was no number question; "the Large Concept Model",
    // singular, named no paper), though the abstract states the model sizes and token counts.
    for (const question of [
      'At what parameter counts and training-token budgets were the Large Concept Models trained?',
      'What parameter counts and training-token budgets are reported for the Large Concept Model?',
    ]) {
      const answer = await bundled.runtime.bot.ask(question);
      expect([question, answer.outcome, citedPapers(answer)]).toEqual([question, 'answered', ['seed-046']]);
      expect(answer.answer).toBe(
        'These explorations are performed using 1.6B parameter models and training data in the order of 1.3T tokens. [1]',
      );
    }
    const unstated = await bundled.runtime.bot.ask(
      'What parameter counts and token budgets does the Nugget paper report?',
    );
    expect(unstated).toMatchObject({ outcome: 'declined', declined: true });
    expect(unstated.answer).toMatch(
      /^The abstract of "Nugget: [^"]+" does not state the parameter counts and token budgets \[1\]\.$/,
    );
    expect(citedPapers(unstated)).toEqual(['seed-001']);
  });

  it('says only what the abstract really does not mention, without stray punctuation', async () => {
    const optimizer = await bundled.runtime.bot.ask(
      'Which optimizer and warmup schedule were used for the 16B CodeGen2 model?',
    );
    // The paper is named and its abstract uses none of the words asked about. Declined, naming only
    // those words ("16B" and "model" are in the abstract); or, since the twelfth session's refit
    // put its score (0.20) between the thresholds, uncertain, naming the asked words that none of
    // the closest papers uses ("optimizer" is in another one). The paper is cited either way.
    expect(['declined', 'uncertain']).toContain(optimizer.outcome);
    expect(optimizer.answer).toMatch(
      optimizer.outcome === 'declined'
        ? /^The abstract of "CodeGen2: Lessons for Training LLMs on Programming and Natural Languages" does not mention "optimizer", "warmup" or "schedule" \[1\]\.$/
        : /^The closest papers are "CodeGen2: Lessons for Training LLMs on Programming and Natural Languages" \[1\]; the abstracts may not answer this \(none uses "warmup", "schedule"\)\./,
    );
    expect(citedPapers(optimizer)).toEqual([CODEGEN2]);
    // With "learning rate" (in the abstract) the score sits near the decline threshold, which moves
    // with each refit: flagged either way, with the paper cited and no figure invented.
    const schedule = await bundled.runtime.bot.ask(
      'Which optimizer and learning rate schedule were used to train the 16B CodeGen2 model?',
    );
    expect(['declined', 'uncertain']).toContain(schedule.outcome);
    expect(citedPapers(schedule)).toEqual([CODEGEN2]);
    expect(schedule.answer).toMatch(/"schedule"/);
    // A figure named by what it measures ("accuracy"): declined, the abstract "does not state" it
    // (the detail rule) or "does not mention" the words; or uncertain, GrootVL the closest paper,
    // whose abstract "none uses" the asked words.
    const imagenet = await bundled.runtime.bot.ask('GrootVL - what ImageNet top-1 accuracy does it reach?');
    expect(['declined', 'uncertain']).toContain(imagenet.outcome);
    expect(imagenet.answer).toMatch(
      imagenet.outcome === 'declined'
        ? /^The abstract of "GrootVL: [^"]+" does not (?:state the accuracy|mention "ImageNet top-1)/
        : /^The closest papers are "GrootVL: [^"]+" \[1\]; .*none uses "ImageNet"/,
    );
    // No quoted word opens with the question's punctuation ("- ImageNet", ": what").
    expect(imagenet.answer).not.toMatch(/"[-–:,]\s*\w/);
  });

  it("declines a question after the authors' university, with the record's authors as a note", async () => {
    // Before: answered with the author list, as if "which university" asked who wrote it.
    const university = await bundled.runtime.bot.ask(
      'Which university are the authors of the Goldilocks Principle paper from?',
    );
    expect(university.outcome).toBe('declined');
    expect(university.answer).toMatch(
      /^The abstract of "The Goldilocks Principle: [^"]+" does not state where its authors work \[1\]\. Its record lists these authors: Felix Hill, /,
    );
    const authors = await bundled.runtime.bot.ask('Who wrote the Goldilocks Principle paper?');
    expect(authors.outcome).toBe('answered');
  });

  it('does not take a company the abstract studies for where its authors work', async () => {
    // Before: answered (confidence 1) with LMentry's sentence on "OpenAI's latest 175B-parameter
    // instruction-tuned model", as if naming OpenAI stated an affiliation (found on team-bl, team-bm).
    for (const question of [
      'Which university released LMentry, and in what year did it come out?',
      'Which university or company were the people behind LMentry working for?',
    ]) {
      const answer = await bundled.runtime.bot.ask(question);
      expect(answer.outcome).toBe('declined');
      expect(answer.answer).toMatch(
        /^The abstract of "LMentry: [^"]+" does not state where its authors work \[1\]\./,
      );
      expect(answer.answer).not.toContain('OpenAI');
    }
  });

  it('reads an arXiv link or id of a corpus paper as naming that paper', async () => {
    // Before: the link's words ("https", "arxiv", "abs", the digits) went to retrieval, and the
    // question was answered or declined as if no paper had been named.
    for (const question of [
      're https://arxiv.org/abs/2305.02309 — what model sizes did they release?',
      'what model sizes did arxiv.org/pdf/2305.02309v2.pdf release?',
      'arXiv:2305.02309: which model sizes were released?',
      'in 2305.02309 what model sizes did they release?',
    ]) {
      const answer = await bundled.runtime.bot.ask(question);
      expect(answer.outcome, question).toBe('answered');
      expect(answer.citations[0]?.paperId, question).toBe(CODEGEN2);
      expect(answer.answer, question).toContain('1B, 3.7B, 7B');
    }
    const detail = await bundled.runtime.bot.ask(
      'how many GPUs did https://arxiv.org/abs/2310.01732 train on?',
    );
    expect(detail.answer).toMatch(/^The abstract of "Nugget: [^"]+" does not state/);
  });

  it('says plainly when an arXiv link points at a paper the corpus does not hold', async () => {
    const answer = await bundled.runtime.bot.ask(
      're https://arxiv.org/abs/2501.00001v1 do they need labelled data?',
    );
    expect(answer.outcome).toBe('declined');
    expect(answer.citations).toEqual([]);
    expect(answer.answer).toMatch(/^arXiv 2501\.00001 is not among the \d+ papers of the corpus/);
    // A bare number of the same shape that is no paper's id is read as a number.
    const number = await bundled.runtime.bot.ask('which paper reports a score of 1234.5678 on anything?');
    expect(number.answer).not.toMatch(/^arXiv/);
  });

  it('reads "released" as asking a date only beside when, a year, a date or a month', async () => {
    // Before: 'does not state when it was published … Its record gives the arXiv date' (found on team-br, team-bt).
    const thing = await bundled.runtime.bot.ask(
      'What dimensionality are the word vectors released for 157 languages in Learning Word Vectors for 157 Languages?',
    );
    expect(thing.answer).not.toMatch(/when it was published|arXiv date/);
    const date = await bundled.runtime.bot.ask(
      'Fill in the blank: the WiC dataset was first released in the year ___.',
    );
    expect(date.answer).toMatch(
      /does not state when it was published \[1\]\. Its record gives the arXiv date/,
    );
  });

  it('finds a count by the thing counted, not by its first word or the paper name after it', async () => {
    // Before: 'does not state the number of nested sub-models sortednet' (declined), although the
    // abstract states "training up to 160 different sub-models" (found on team-bs, team-bt).
    const answer = await bundled.runtime.bot.ask('How many nested sub-models did SortedNet train at once?');
    expect(answer.outcome).toBe('answered');
    expect(answer.answer).toContain('160 different sub-models');
  });

  it('reads "the WiC authors say …" as who says it, not as asking who wrote the paper', async () => {
    // Before: "The abstract of "WiC: …" does not state who wrote it" (declined, confidence 0).
    const said = await bundled.runtime.bot.ask(
      'Which existing evaluation dataset did the WiC authors say models had already surpassed the ceiling of?',
    );
    expect(said.answer).not.toMatch(/who wrote it|lists these authors/);
    expect(said.outcome).not.toBe('declined');
    expect(citedPapers(said)).toContain('seed-007');
    const asked = await bundled.runtime.bot.ask('list the authors of the WiC paper');
    expect(asked.answer).toMatch(/who wrote it|lists these authors/);
    expect(citedPapers(asked)).toEqual(['seed-007']);
  });

  it('answers a question asking a detail and more about a named paper, not declining the whole of it', async () => {
    // Before: "The abstract of … does not state that figure" (declined, confidence 0), though the
    // abstract states the scaling and the 29.7 BLEU the question's two parts ask about.
    const question =
      "How do dynamic convolutions in 'Pay Less Attention with Lightweight and Dynamic Convolutions' scale with input length compared with self-attention, and what BLEU do they reach on WMT'14 English-German?";
    const answer = await bundled.runtime.bot.ask(question);
    expect(answer).toMatchObject({ outcome: 'answered', declined: false });
    expect(citedPapers(answer)).toEqual(['seed-111']);
    expect(answer.answer).toContain('29.7 BLEU');
    // A question asking only the detail is still declined when the abstract does not state it.
    const only = await bundled.runtime.bot.ask('What BLEU does the Nugget paper reach on WMT?');
    expect(only).toMatchObject({ outcome: 'declined', declined: true });
    expect(only.answer).toMatch(/^The abstract of "Nugget: [^"]+" does not state that figure \[1\]\.$/);
  });

  it('answers "what does X find about how much ..." from the abstract, not as a missing figure', async () => {
    // Before: "does not state that figure" (declined), though the abstract states the finding in words.
    const finding = await bundled.runtime.bot.ask(
      'What does the Goldilocks principle paper find about how much text should be stored in a single memory representation?',
    );
    expect(finding.outcome).toBe('answered');
    expect(finding.answer).toMatch(
      /the amount of text encoded in a single memory representation is highly influential/,
    );
    const size = await bundled.runtime.bot.ask(
      'What did the AST-Probe work find about the size of the syntactic subspace relative to the full representation space?',
    );
    expect(size.answer).not.toMatch(/does not state the number/);
    expect(size.outcome).not.toBe('declined');
  });

  it('reads "params" as parameters when a sentence states the count', async () => {
    // Before: "The abstracts in the corpus do not state that figure." ("params" is no stem of "parameters").
    const params = await bundled.runtime.bot.ask(
      'recurrent depth latent reasoning model - how many params and training tokens?',
    );
    expect(params.outcome).toBe('answered');
    expect(params.answer).toMatch(
      /^We scale a proof-of-concept model to 3\.5 billion parameters and 800 billion tokens\. \[1\]/,
    );
  });

  it('names the whole thing counted when the abstract does not state a count', async () => {
    // Before: "does not state the number of sentence [1]".
    const pairs = await bundled.runtime.bot.ask('how many sentence pairs are in WiC?');
    expect(pairs.answer).toMatch(
      /^The abstract of "WiC: [^"]+" does not state the number of sentence pairs \[1\]\.$/,
    );
    const annotators = await bundled.runtime.bot.ask(
      'how many annotators checked the LMentry tasks and what did they pay?',
    );
    expect(annotators.answer).toMatch(/does not state the number of annotators \[1\]\.$/);
  });

  it('answers "how many points" about a named paper with the sentence stating the gain', async () => {
    // Before: 'does not state the number of points', declined ("points" read as a thing counted).
    const gain = await bundled.runtime.bot.ask(
      'Talking Heads paper: how many points does editing weights add on the Laundry List recall task?',
    );
    expect(gain.outcome).toBe('answered');
    expect(gain.answer).toMatch(/often improving task accuracy by over 20%\. \[1\]/);
    expect(gain.sources.map((source) => source.paperId)).toEqual(['seed-087']);
  });

  it('does not read "where … code" inside a question as asking where the code is', async () => {
    // Before: 'does not state where its code is', declined.
    const answer = await bundled.runtime.bot.ask(
      'AST-Probe: where in the model does the syntax of code live?',
    );
    expect(answer.declined).toBe(false);
    expect(answer.answer).not.toMatch(/where its code is/);
    expect(citedPapers(answer)).toContain('seed-097');
  });
});

describe('spelling correction on every path of the router', () => {
  const bundled = useBundledRuntime();

  it('reads misspelt words before a named paper is answered', async () => {
    // Before: the named-paper path answered the uncorrected question, with no note.
    const answer = await bundled.runtime.bot.ask('how does HYPEROFA initialise embeddings for new tokens?');
    expect(answer.answer).toMatch(/^\(Read "initialise" as "initialize"\.\) /);
    expect(citedPapers(answer)).toContain('seed-065');
  });

  it('says "did you mean" for a word corrected into a short name', async () => {
    const answer = await bundled.runtime.bot.ask('what are succesor heads and which models have them');
    expect(answer.answer).toMatch(/^Did you mean "Successor Heads"\? /);
    expect(citedPapers(answer)).toContain('seed-099');
  });

  it('reads misspelt words of a follow-up', async () => {
    const question = 'Which papers evaluate text embedding models on benchmarks?';
    const first = await bundled.runtime.bot.ask(question);
    const history: ConversationTurn[] = [
      { role: 'user', text: question },
      { role: 'assistant', text: first.answer, sources: first.sources.map(({ paperId }) => ({ paperId })) },
    ];
    // Before: 'None of the 3 papers of my previous answer mention "evalute on MTEB"', declined.
    const answer = await bundled.runtime.bot.ask('which of them evalute on MTEB?', { history });
    expect(answer.answer).toMatch(/^\(Read "evalute" as "evaluate"\.\) Of the \d papers/);
    expect(answer.declined).toBe(false);
    for (const paperId of citedPapers(answer))
      expect(bundled.runtime.index.get(paperId)?.abstract).toMatch(/MTEB/);
  });
});

describe('a named paper when the answerer declines', () => {
  const bundled = useBundledPaperIndex();
  const declining: Answerer = {
    name: 'declining',
    async answer() {
      return {
        answer: 'No abstract answers this.',
        declined: true,
        outcome: 'declined',
        confidence: 0,
        citations: [],
        sources: [],
        answerer: 'declining',
      };
    },
  };
  const router = () =>
    createChatRouter({
      retriever: bundled.retriever,
      answerer: declining,
      catalog: bundled.index,
      paperCount: () => bundled.index.size,
      depth: 5,
      maxQueryLength: 1000,
    });

  it('quotes the abstract sentence holding most of the question, cited', async () => {
    // Before: 'does not mention "they open-source training framework"', declined.
    const answer = await router().answer('did CodeGen2 open-source their training framework?', []);
    expect(answer).toMatchObject({ outcome: 'answered', declined: false });
    expect(answer.answer).toContain('along with the training framework as open-source');
    expect(answer.answer).toMatch(/ \[1\]$/);
    expect(citedPapers(answer)).toEqual([CODEGEN2]);
  });

  it('declines naming the absent words, or says the closest sentence may not answer', async () => {
    const absent = await router().answer(
      'does CodeGen2 discuss reinforcement learning from human feedback?',
      [],
    );
    expect(absent).toMatchObject({ outcome: 'declined', declined: true });
    expect(absent.answer).toMatch(/does not mention "reinforcement", "human" or "feedback" \[1\]\.$/);
    // Every word is in the abstract, but no one sentence holds most of them.
    const scattered = await router().answer('CodeGen2 infill sampling and neural scaling laws', []);
    expect(scattered.outcome).toBe('uncertain');
    expect(scattered.answer).toMatch(
      /^The abstract of "CodeGen2: [^"]+" may not answer this; its closest sentence: /,
    );
    expect(citedPapers(scattered)).toEqual([CODEGEN2]);
  });
});
