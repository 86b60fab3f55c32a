import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.ts';
import type { Paper } from '../corpus/paper.ts';
import { PaperbotError } from '../errors.ts';
import { type Logger, silentLogger } from '../logger.ts';
import type { QuestionMemoryView } from '../retrieval/question-memory.ts';
import type { SearchCorpus } from '../retrieval/search-corpus.ts';
import { memoryReliability } from '../retrieval/term-reliability.ts';
import { type FeatureContext, stems } from './answerability-features.ts';
import { type ChosenModel, chooseModel, readAnswerabilityParameters } from './answerability-model.ts';
import { BUNDLED_ANSWERABILITY_PATH } from './answerability-paths.ts';
import type { Answerer } from './answerer.ts';
import { corpusNames } from './corpus-names.ts';
import { ExtractiveAnswerer } from './extractive-answerer.ts';
import { FallbackAnswerer } from './fallback-answerer.ts';
import { OpenAIAnswerer } from './openai-answerer.ts';

/** Parameter file of an index directory: its own `answerability.json`, else the bundled one. */
export function answerabilityPath(indexDir: string): string {
  const own = join(indexDir, 'answerability.json');
  return existsSync(own) ? own : BUNDLED_ANSWERABILITY_PATH;
}

/**
 * The corpus's term weights, vocabulary, phrases and names, as the answerability score reads them.
 * A word weighs its IDF times its reliability (`termReliability`, from the question memory the
 * retriever uses, when given): a word people ask with but abstracts seldom use for the topic
 * ("keep", "program" for an AI system) counts for little in the coverage and absent-word signals,
 * as it does in BM25. The phrases (adjacent stem pairs of every paper) and the names
 * (`corpusNames`) are collected on first use and again whenever the number of papers changes.
 */
export function corpusTerms(
  index: Pick<SearchCorpus, 'idf' | 'documentFrequency'> & Partial<Pick<SearchCorpus, 'papers' | 'size'>>,
  reliability?: (term: string) => number,
): FeatureContext {
  // A set read off the papers, kept until the number of papers changes.
  const perCorpus = (collect: (papers: Paper[]) => Set<string>) => {
    let cached: { size: number; value: Set<string> } | undefined;
    return () => {
      const size = index.size ?? 0;
      if (!cached || cached.size !== size) cached = { size, value: collect(index.papers?.() ?? []) };
      return cached.value;
    };
  };
  const pairsOf = perCorpus((papers) => {
    const pairs = new Set<string>();
    for (const paper of papers) {
      const tokens = stems(`${paper.title} ${paper.abstract}`);
      for (let at = 1; at < tokens.length; at++) pairs.add(`${tokens[at - 1]} ${tokens[at]}`);
    }
    return pairs;
  });
  const namesOf = perCorpus((papers) => corpusNames(papers.map((paper) => paper.abstract)));
  return {
    weight: reliability ? (term) => index.idf(term) * reliability(term) : (term) => index.idf(term),
    isKnownTerm: (term) => index.documentFrequency(term) > 0,
    isKnownPair: index.papers ? (pair) => pairsOf().has(pair) : undefined,
    isCorpusName: index.papers ? (stem) => namesOf().has(stem) : undefined,
  };
}

export interface BuiltAnswerers {
  /** The offline answerer (always available, also the fallback). */
  offline: ExtractiveAnswerer;
  /** The answerer in use: the LLM one (with offline fallback) when asked for and configured. */
  answerer: Answerer;
  /** The answerability model in use, and whether it is the lexical-only fallback. */
  answerability: ChosenModel;
}

/**
 * Builds the answerer that users get; `runtime` and `eval` both call this, so `eval` measures the
 * same answerer. The answerability parameters are those fitted for the index's embedding model;
 * an embedding model without its own (e.g. OpenAI's) gets the lexical-only score, with a warning.
 */
export function buildAnswerers(options: {
  config: Config;
  /** The searchable corpus (either backend): its term statistics feed the score. */
  index: SearchCorpus;
  /** Embedding model the corpus's vectors were built with (selects the fitted parameters). */
  embeddingModel: string;
  /**
   * The question memory the retriever uses (for `eval`, the one leaving the set out): its word
   * reliability weighs the question's words in the score, as the fit weighed them.
   */
  memory?: QuestionMemoryView;
  logger?: Logger;
  /** `llm` wraps the offline answerer with the configured OpenAI-compatible model; default: when configured. */
  kind?: 'offline' | 'llm';
  onFallback?: (reason: string, code: string) => void;
}): BuiltAnswerers {
  const { config, index, logger, embeddingModel } = options;
  const parameters = readAnswerabilityParameters(answerabilityPath(config.indexDir));
  const answerability = chooseModel(parameters, embeddingModel);
  if (answerability.fallback) {
    logger?.warn(
      { embeddingModel },
      'no answerability parameters for this embedding model; using the lexical-only score (refit with `npm run fit-answerability`)',
    );
  }
  const terms = corpusTerms(index, memoryReliability(index, options.memory));
  const offline = new ExtractiveAnswerer({
    termWeight: terms.weight,
    isKnownTerm: terms.isKnownTerm,
    isKnownPair: terms.isKnownPair,
    isCorpusName: terms.isCorpusName,
    model: answerability.model,
    lexicalModel: chooseModel(parameters, undefined).model,
  });
  const useModel = options.kind ? options.kind === 'llm' : config.openai !== undefined;
  if (!useModel) return { offline, answerer: offline, answerability };
  if (!config.openai) {
    throw new PaperbotError(
      'NOT_CONFIGURED',
      'The LLM answerer needs OPENAI_API_KEY (any value for a local server without auth), and OPENAI_BASE_URL for a server other than OpenAI.',
    );
  }
  const silent = silentLogger();
  const answerer = new FallbackAnswerer({
    primary: new OpenAIAnswerer({
      apiKey: config.openai.apiKey,
      baseURL: config.openai.baseURL,
      model: config.openai.chatModel,
      timeoutMs: config.llmTimeoutMs,
      logger: logger ?? silent,
    }),
    offline,
    logger: logger ?? silent,
    onFallback: options.onFallback,
  });
  return { offline, answerer, answerability };
}
