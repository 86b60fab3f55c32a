import { splitSentences } from '../corpus/sentences.ts';
import { BM25_K1 } from '../retrieval/bm25.ts';
import { tokenize } from '../retrieval/tokenize.ts';
import type { SearchHit } from '../retrieval/types.ts';
import { weightedShare } from '../retrieval/weighted-share.ts';
import {
  answerTypeOf,
  askingPart,
  asksComparison,
  countedNounOf,
  countsCounted,
  holdsAnswerType,
  isOrdinaryWord,
  listedNounOf,
  namesListed,
  namesOf,
  PAPER_ON_TOPIC,
  questionWordsOf,
  statesComparison,
  typeClauseOf,
} from './answer-type.ts';

/**
 * Weight of a stemmed term: its IDF in the corpus (terms the corpus lacks weigh the most), times its
 * reliability when a question memory is in use (`corpusTerms`).
 */
export type TermWeight = (term: string) => number;

/** What the answerability features need besides the question and the hits. */
export interface FeatureContext {
  /** IDF of a stemmed term in the corpus, times its reliability with a question memory. */
  weight: TermWeight;
  /** Whether any paper of the corpus uses a stemmed term. */
  isKnownTerm: (term: string) => boolean;
  /**
   * Whether any paper has the two stems next to each other (stopwords dropped): "state space".
   * Without it, no pair is known and `knownPairsTop1` is missing.
   */
  isKnownPair?: (pair: string) => boolean;
  /**
   * Whether the abstracts write a stem as a name ("mamba", "llama": `corpusNames`), so that a
   * lower-case question names it too. Without it, only the names a question capitalises count.
   */
  isCorpusName?: (stem: string) => boolean;
}

/**
 * The signals of the answerability score, each 0..1 or a small number (`NaN` where a question has
 * no value: the bigram shares of a one-word question). Query-performance-prediction
 * features say whether the corpus has papers on the topic; passage features say whether a sentence
 * states what is asked.
 */
export const FEATURE_NAMES = [
  // query-performance prediction: lexical
  'coverageTop1',
  'coverageTop3',
  'logCoverageTop3',
  'halvesTop3',
  'absentShare',
  'bigramTop1',
  'knownPairsTop1',
  'bm25OverMax',
  'lexicalGap',
  'length',
  // query-performance prediction: dense (absent without embeddings)
  'cosineBest',
  'cosineTop1',
  'cosineGap',
  'agreement',
  // passage-level evidence
  'sentenceCoverage',
  'sentenceBigrams',
  'focusHeld',
  'answerTypeMissing',
  'typeMissingOnTopic',
  'absentName',
  'namesApart',
  'nameMissingOnTopic',
  'clauseCoverageTop1',
  // earlier people's questions (the question memory)
  'memoryTop1',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];
export type Features = Record<FeatureName, number>;

/**
 * Features that need dense retrieval (the question memory is searched by the question's embedding
 * too); the lexical-only model leaves them out.
 */
export const DENSE_FEATURES: FeatureName[] = [
  'cosineBest',
  'cosineTop1',
  'cosineGap',
  'agreement',
  'memoryTop1',
];

/** Abstracts are fixed, so their sentences and stems are computed once (bounded: cleared when full). */
const CACHE_LIMIT = 50_000;
const stemCache = new Map<string, string[]>();
const sentenceCache = new Map<string, string[]>();

/** `tokenize(text, false)`, memoised. */
export function stems(text: string): string[] {
  let value = stemCache.get(text);
  if (!value) {
    if (stemCache.size >= CACHE_LIMIT) stemCache.clear();
    value = tokenize(text, false);
    stemCache.set(text, value);
  }
  return value;
}

/** The title and the sentences of an abstract, memoised. */
function passagesOf(title: string, abstract: string): string[] {
  const key = `${title}\u0000${abstract}`;
  let value = sentenceCache.get(key);
  if (!value) {
    if (sentenceCache.size >= CACHE_LIMIT) sentenceCache.clear();
    value = [title, ...splitSentences(abstract)];
    sentenceCache.set(key, value);
  }
  return value;
}

function bigrams(terms: string[]): string[] {
  const pairs: string[] = [];
  for (let index = 1; index < terms.length; index++) pairs.push(`${terms[index - 1]} ${terms[index]}`);
  return pairs;
}

/** Share of the question's word pairs found among `present` pairs (0 without pairs). */
function pairShare(questionPairs: string[], present: ReadonlySet<string>): number {
  if (questionPairs.length === 0) return 0;
  return questionPairs.filter((pair) => present.has(pair)).length / questionPairs.length;
}

function bigramShare(questionPairs: string[], tokens: string[]): number {
  return pairShare(questionPairs, new Set(bigrams(tokens)));
}

/**
 * Of the question's word pairs that some paper uses (phrases of the corpus: "state space", "binding
 * id"), the share the top paper holds: low when the question joins a phrase of one paper to a phrase
 * of others ("does the binding ID mechanism also appear in state space models?"). Missing (`NaN`)
 * when the question has no such pair.
 */
function knownPairShare(
  questionPairs: string[],
  topPairs: ReadonlySet<string>,
  isKnownPair: ((pair: string) => boolean) | undefined,
): number {
  const known = [...new Set(questionPairs)].filter((pair) => isKnownPair?.(pair));
  return known.length === 0 ? Number.NaN : pairShare(known, topPairs);
}

/** Added to the top-3 coverage before its logarithm, so that no coverage is a finite ln(0.05). */
const LOG_COVERAGE_FLOOR = 0.05;

/**
 * The answerability features of a question and its retrieved hits (best first). They read the
 * sentences that ask (`askingPart`): a scene set first ("We're building a support bot for our
 * shop. …") helps retrieval find the papers, but whether an abstract answers is decided by what is
 * asked (nineteenth session: on the twenty-seven calibration sets, each at its grid's own pair with
 * decline shares from 0.5%, 615 → 618/675 unanswerable questions flagged, 41 → 35/1080 answerable
 * declined, 253 → 251/1080 uncertain).
 */
export function answerabilityFeatures(message: string, hits: SearchHit[], context: FeatureContext): Features {
  const question = askingPart(message);
  const { weight, isKnownTerm, isKnownPair, isCorpusName } = context;
  const terms = tokenize(question, false);
  const questionStems = new Set(terms);
  const unique = [...questionStems];
  const questionPairs = bigrams(terms);
  const paperTokens = hits.slice(0, 3).map((hit) => stems(`${hit.paper.title} ${hit.paper.abstract}`));
  const paperSets = paperTokens.map((tokens) => new Set(tokens));
  const coverages = paperSets.map((present) => weightedShare(terms, present, weight));
  // The question's content words in two halves, in order: a question joining one paper's topic to
  // another's ("was MemTree evaluated on the passkey tests Larimar used?") has no paper holding both.
  const middle = Math.ceil(terms.length / 2);
  const halves = [terms.slice(0, middle), terms.slice(middle)];
  const halvesTop3 =
    terms.length < 2
      ? Number.NaN
      : Math.max(
          0,
          ...paperSets.map((present) =>
            Math.min(...halves.map((half) => weightedShare(half, present, weight))),
          ),
        );
  const union = new Set(paperTokens.flat());
  const coverageTop3 = weightedShare(terms, union, weight);
  const topPairs = new Set(bigrams(paperTokens[0] ?? []));

  let totalWeight = 0;
  let absentWeight = 0;
  for (const term of unique) {
    totalWeight += weight(term);
    if (!isKnownTerm(term)) absentWeight += weight(term);
  }
  // One BM25 term scores at most `idf × (k1 + 1)`.
  const queryMax = tokenize(question).reduce((sum, term, index, all) => {
    return all.indexOf(term) === index ? sum + weight(term) * (BM25_K1 + 1) : sum;
  }, 0);
  const lexicalScores = hits
    .flatMap((hit) => (hit.lexicalScore === undefined ? [] : [hit.lexicalScore]))
    .sort((left, right) => right - left);
  const denseScores = hits
    .flatMap((hit) => (hit.denseScore === undefined ? [] : [hit.denseScore]))
    .sort((left, right) => right - left);
  const top = hits[0];

  // Passage level: the sentences of the first three papers, scored by the question's weighted terms.
  const focus = unique
    .filter(isKnownTerm)
    .sort((left, right) => weight(right) - weight(left) || left.localeCompare(right))
    .slice(0, 2);
  const type = answerTypeOf(question);
  const questionWords = questionWordsOf(question);
  const counted = type === 'number' ? countedNounOf(question) : undefined;
  // The thing a counted list or a name question asks to name ("benchmark", "model").
  const listed = type === 'list' || type === 'name' ? listedNounOf(question) : undefined;
  // A later clause asking the type ("… Which models did they look at?") is on topic by itself.
  const clause = typeClauseOf(question, type);
  const clauseTerms = clause === undefined ? [] : tokenize(clause, false);
  let sentenceCoverage = 0;
  let sentenceBigrams = 0;
  let focusHeld = 0;
  let typeFound = false;
  const comparison = type === 'number' && asksComparison(question);
  for (const [rank, hit] of hits.slice(0, 3).entries()) {
    // Words a counted-list answer must not merely repeat: the question's and the paper title's.
    const known = (stem: string) => questionStems.has(stem) || stems(hit.paper.title).includes(stem);
    for (const sentence of passagesOf(hit.paper.title, hit.paper.abstract)) {
      const tokens = stems(sentence);
      const present = new Set(tokens);
      const coverage = weightedShare(terms, present, weight);
      sentenceCoverage = Math.max(sentenceCoverage, coverage);
      sentenceBigrams = Math.max(sentenceBigrams, bigramShare(questionPairs, tokens));
      if (focus.length > 0 && focus.every((term) => present.has(term))) focusHeld = 1;
      const onTopic =
        coverage >= 0.25 || (clauseTerms.length > 0 && weightedShare(clauseTerms, present, weight) >= 0.5);
      if (onTopic && holdsAnswerType(sentence, type, questionWords)) {
        // "Which two NL2SQL benchmarks …" needs a sentence naming one, not one counting them.
        if (listed === undefined || namesListed(sentence, listed, known)) typeFound = true;
      }
      if (counted !== undefined && countsCounted(sentence, counted, questionWords)) typeFound = true;
      // "How much smaller and faster …": "… using 100 times fewer parameters" in the first paper or
      // in a paper on topic (a comparison is asked in other words than the abstract's figures).
      if (
        comparison &&
        (rank === 0 || (coverages[rank] ?? 0) >= PAPER_ON_TOPIC) &&
        statesComparison(sentence)
      ) {
        typeFound = true;
      }
    }
  }
  const names = namesOf(question);
  // An acronym or CamelCase name no abstract uses ("RLHF"); a shouted question names nothing.
  const absentName =
    /[a-z]/.test(question) &&
    names.some((name) => name.acronym && name.stems.every((stem) => !isKnownTerm(stem)));
  // Two or more names the corpus knows ("LAPE", "Mistral", or in lower case a word the abstracts
  // write as a name: "lape", "mistral") that no one of the first three papers holds together: a
  // question joining one paper's subject to another's.
  // A word the corpus uses but never writes as a name ("TASK:", "NEED:") is no name.
  const knownNames = names
    .filter((name) => name.stems.every(isKnownTerm) && !isOrdinaryWord(name.stems, isKnownTerm, isCorpusName))
    .map((name) => name.stems);
  if (isCorpusName) {
    const named = new Set(knownNames.flat());
    for (const stem of unique) {
      if (!named.has(stem) && isCorpusName(stem) && isKnownTerm(stem)) knownNames.push([stem]);
    }
  }
  const namesApart =
    knownNames.length >= 2 &&
    !paperSets.some((present) => knownNames.every((name) => name.every((stem) => present.has(stem))));

  // The best-covered clause of a question that sets a scene first ("I'm writing about multilingual
  // AI. Is there research on whether models like Llama route their thinking through English?"):
  // the first paper's coverage of its best sentence or dash-separated part with two content words
  // or more (the whole question's coverage when it has one part).
  const clauseCoverageTop1 = Math.max(
    coverages[0] ?? 0,
    ...question
      .split(/[.?!;:]\s+|\s[-–—]\s/)
      .map((part) => tokenize(part, false))
      .filter((part) => new Set(part).size >= 2)
      .map((part) => weightedShare(part, paperSets[0] ?? new Set(), weight)),
  );

  // A name the corpus knows that the first paper lacks, while that paper is on topic otherwise
  // ("sparse autoencoders on Mamba?"): the first paper's coverage, else 0.
  const nameMissing = knownNames.some((name) => !name.every((stem) => paperSets[0]?.has(stem)));

  return {
    coverageTop1: coverages[0] ?? 0,
    coverageTop3,
    // The low end stretched: a question the top papers barely touch (off-domain, "a recipe for
    // banana bread") scores far below one they half cover. Linear coverage cannot, since the fit
    // weighs the top three against the first paper (near misses spread over several papers).
    logCoverageTop3: Math.log(LOG_COVERAGE_FLOOR + coverageTop3),
    halvesTop3,
    absentShare: totalWeight > 0 ? absentWeight / totalWeight : 0,
    // A question of one word has no word pairs: the bigram shares are missing, not 0 or 1.
    bigramTop1: questionPairs.length > 0 ? pairShare(questionPairs, topPairs) : Number.NaN,
    knownPairsTop1: knownPairShare(questionPairs, topPairs, isKnownPair),
    bm25OverMax: queryMax > 0 ? Math.min(1, (lexicalScores[0] ?? 0) / queryMax) : 0,
    lexicalGap:
      lexicalScores.length > 0 ? (lexicalScores[0]! - (lexicalScores[1] ?? 0)) / lexicalScores[0]! : 0,
    length: Math.log1p(unique.length),
    cosineBest: denseScores[0] ?? 0,
    cosineTop1: top?.denseScore ?? 0,
    cosineGap: denseScores.length > 0 ? denseScores[0]! - (denseScores[1] ?? 0) : 0,
    agreement: top?.denseRank === 1 && top.lexicalRank === 1 ? 1 : 0,
    sentenceCoverage,
    sentenceBigrams: questionPairs.length > 0 ? sentenceBigrams : Number.NaN,
    focusHeld,
    answerTypeMissing: type !== undefined && !typeFound ? 1 : 0,
    // The answer type missing although the first paper is on topic: a detail the abstract does not
    // state. Additive signals cannot say "on topic, but not stated"; this product can.
    typeMissingOnTopic: type !== undefined && !typeFound ? (coverages[0] ?? 0) : 0,
    absentName: absentName ? 1 : 0,
    namesApart: namesApart ? 1 : 0,
    nameMissingOnTopic: nameMissing ? (coverages[0] ?? 0) : 0,
    clauseCoverageTop1,
    // Earlier judged questions near this one name the first paper: everyday wording that other
    // people asked about the same paper ("nudging its own weights while it reads" → dynamic
    // evaluation). 0 when the memory lent it nothing; missing when no memory was consulted or no
    // judged question names the paper (one ingested later).
    memoryTop1: top?.memorySimilarity ?? Number.NaN,
  };
}
