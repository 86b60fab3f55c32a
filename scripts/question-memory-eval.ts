/**
 * What the question memory gains and what it costs, measured side by side on the bundled index
 * (offline embeddings, hybrid retrieval):
 *
 *   npm run question-memory-eval
 *
 * - **Judged sets, each left out**: Recall@10 and nDCG@10 of every fit set's answerable questions
 *   without the memory and with the memory of the other sets (as `paperbot eval` measures a set).
 * - **Papers no judged question names**: the judged papers are split into five folds by id; for
 *   each fold, the questions whose grade-2 papers all lie in it are searched with a memory that
 *   has no question naming a paper of the fold (nor any question of their own set). This stands
 *   for papers ingested after the memory was written; the memory must not bury them.
 * - **The answerability score on those papers**: the committed score's outcome (score only: below
 *   the decline threshold, between, from the answer threshold on) for the same answerable questions,
 *   and for every fit set's unanswerable questions with the memory as usual and with no question
 *   naming the paper they land on first. The score reads the memory (`memoryTop1`), and a paper
 *   no judged question names must not be hedged for that alone.
 */
import { join } from 'node:path';
import { answerabilityFeatures } from '../src/answering/answerability-features.ts';
import { chooseModel, predict, readAnswerabilityParameters } from '../src/answering/answerability-model.ts';
import { BUNDLED_ANSWERABILITY_PATH } from '../src/answering/answerability-paths.ts';
import { corpusTerms } from '../src/answering/build-answerer.ts';
import { loadConfig } from '../src/config/config.ts';
import { PACKAGE_ROOT } from '../src/corpus/bundled.ts';
import { createEmbeddings } from '../src/embeddings/create-embeddings.ts';
import { FIT_SETS } from '../src/evaluation/answerability-fit.ts';
import { loadBeir, readQueries } from '../src/evaluation/beir.ts';
import { ndcgAt, recallAt } from '../src/evaluation/metrics.ts';
import { HybridRetriever } from '../src/retrieval/hybrid-retriever.ts';
import { PaperIndex } from '../src/retrieval/paper-index.ts';
import { openQuestionMemory, type QuestionMemory } from '../src/retrieval/question-memory.ts';
import { memoryReliability } from '../src/retrieval/term-reliability.ts';
import type { SearchHit } from '../src/retrieval/types.ts';

const FOLDS = 5;
const config = loadConfig({ PAPERBOT_EMBEDDINGS: 'local' });
const embeddings = await createEmbeddings(config);
const index = await PaperIndex.open(config.indexDir, embeddings);
const memory = await openQuestionMemory({ indexDir: config.indexDir, embeddings });
const plain = new HybridRetriever(index, { embedTimeoutMs: 60_000 });
const withMemory = (view: QuestionMemory) =>
  new HybridRetriever(index, { embedTimeoutMs: 60_000, memory: view });
const idsOf = (hits: SearchHit[]) => hits.map((hit) => hit.paper.id);
// The score weighs a question's words by the reliability of the memory view that retrieved it.
const contexts = new WeakMap<QuestionMemory, ReturnType<typeof corpusTerms>>();
const contextOf = (view: QuestionMemory) => {
  let context = contexts.get(view);
  if (!context) {
    context = corpusTerms(index, memoryReliability(index, view));
    contexts.set(view, context);
  }
  return context;
};
const score = chooseModel(
  readAnswerabilityParameters(BUNDLED_ANSWERABILITY_PATH),
  index.manifest?.embeddingModel,
).model;
/** Declined, uncertain and answered counts of the committed score (score only, no chat routing). */
type Outcomes = [number, number, number];
/** 0 declined, 1 uncertain, 2 answered: the committed score's outcome for a question and its hits. */
const outcomeOf = (text: string, hits: SearchHit[], view: QuestionMemory): 0 | 1 | 2 => {
  const probability = predict(score, answerabilityFeatures(text, hits, contextOf(view)));
  return probability < score.thresholds.decline ? 0 : probability < score.thresholds.answer ? 1 : 2;
};
const outcomes = { known: [0, 0, 0] as Outcomes, unnamed: [0, 0, 0] as Outcomes };
const unanswerable = { known: [0, 0, 0] as Outcomes, unnamed: [0, 0, 0] as Outcomes };
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);

const questions = FIT_SETS.flatMap((set) => {
  const beir = loadBeir(join(PACKAGE_ROOT, 'tests', 'fixtures', 'eval', set));
  return beir.queries.map((query) => ({
    set,
    text: query.text,
    judged: beir.qrels.get(query.id) ?? new Map(),
  }));
});

const judged = { recall: [[], []] as number[][], ndcg: [[], []] as number[][] };
const perSet = new Map<string, { retriever: HybridRetriever; view: QuestionMemory }>();
// Each question's ranking without the memory, and the score's outcome with its set left out of it.
const searched = new Map<(typeof questions)[number], { before: string[]; known: 0 | 1 | 2 }>();
for (const question of questions) {
  let known = perSet.get(question.set);
  if (!known) {
    const view = memory.leavingOut([question.set]);
    known = { retriever: withMemory(view), view };
    perSet.set(question.set, known);
  }
  const { retriever, view } = known;
  const before = idsOf(await plain.search(question.text, { k: 10 }));
  const hits = await retriever.search(question.text, { k: 10 });
  const after = idsOf(hits);
  searched.set(question, { before, known: outcomeOf(question.text, hits, view) });
  judged.recall[0]!.push(recallAt(before, question.judged));
  judged.recall[1]!.push(recallAt(after, question.judged));
  judged.ndcg[0]!.push(ndcgAt(before, question.judged));
  judged.ndcg[1]!.push(ndcgAt(after, question.judged));
}

const papers = [...new Set(questions.flatMap((question) => [...question.judged.keys()]))].sort();
const unjudged = { recall: [[], []] as number[][], ndcg: [[], []] as number[][] };
for (let fold = 0; fold < FOLDS; fold++) {
  const inFold = papers.filter((_, position) => position % FOLDS === fold);
  const foldSet = new Set(inFold);
  for (const question of questions) {
    const grade2 = new Map([...question.judged].filter(([, grade]) => grade === 2));
    if (grade2.size === 0 || ![...grade2.keys()].every((paper) => foldSet.has(paper))) continue;
    const view = memory.leavingOut([question.set], [], inFold);
    const retriever = withMemory(view);
    const { before, known } = searched.get(question)!;
    const hits = await retriever.search(question.text, { k: 10 });
    const after = idsOf(hits);
    outcomes.known[known]++;
    outcomes.unnamed[outcomeOf(question.text, hits, view)]++;
    unjudged.recall[0]!.push(recallAt(before, grade2));
    unjudged.recall[1]!.push(recallAt(after, grade2));
    unjudged.ndcg[0]!.push(ndcgAt(before, grade2));
    unjudged.ndcg[1]!.push(ndcgAt(after, grade2));
  }
}

for (const set of FIT_SETS) {
  const knownView = perSet.get(set)?.view ?? memory.leavingOut([set]);
  const known = perSet.get(set)?.retriever ?? withMemory(knownView);
  const dir = join(PACKAGE_ROOT, 'tests', 'fixtures', 'eval', set);
  for (const query of readQueries(join(dir, 'unanswerable.jsonl'))) {
    const hits = await known.search(query.text, { k: 10 });
    unanswerable.known[outcomeOf(query.text, hits, knownView)]++;
    const first = hits[0]?.paper.id;
    const unnamedView = memory.leavingOut([set], [], first ? [first] : []);
    const unnamed = withMemory(unnamedView);
    unanswerable.unnamed[outcomeOf(query.text, await unnamed.search(query.text, { k: 10 }), unnamedView)]++;
  }
}

const row = (label: string, count: number, figures: typeof judged) =>
  `| ${label} | ${count} | ${mean(figures.recall[0]!).toFixed(3)} → ${mean(figures.recall[1]!).toFixed(3)} | ${mean(figures.ndcg[0]!).toFixed(3)} → ${mean(figures.ndcg[1]!).toFixed(3)} |`;
console.log(
  `Question memory: ${memory.size} judged questions, floor ${memory.calibration.floor.toFixed(3)}, unit ${memory.calibration.unit.toFixed(3)}.`,
);
console.log('| questions | n | Recall@10 without → with the memory | nDCG@10 without → with |');
console.log('|---|---|---|---|');
console.log(row('judged sets, each left out of the memory', judged.recall[0]!.length, judged));
console.log(
  row('papers no judged question names (grade-2 papers, 5 folds)', unjudged.recall[0]!.length, unjudged),
);
const shares = ([declined, uncertain, answered]: Outcomes) => {
  const total = declined + uncertain + answered;
  const share = (count: number) => `${count}/${total} (${((100 * count) / total).toFixed(1)}%)`;
  return `${share(declined)} | ${share(uncertain)} | ${share(answered)}`;
};
console.log('');
console.log(
  `The committed score (score only, thresholds ${score.thresholds.decline} / ${score.thresholds.answer}):`,
);
console.log('| questions | memory | declined | uncertain | answered |');
console.log('|---|---|---|---|---|');
console.log(`| answerable, papers of the 5 folds | as usual | ${shares(outcomes.known)} |`);
console.log(
  `| answerable, papers of the 5 folds | no question names their papers | ${shares(outcomes.unnamed)} |`,
);
console.log(`| unanswerable | as usual | ${shares(unanswerable.known)} |`);
console.log(`| unanswerable | no question names the first paper | ${shares(unanswerable.unnamed)} |`);
