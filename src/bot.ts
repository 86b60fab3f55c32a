import type { Answer, Answerer } from './answering/answerer.ts';
import type { CorpusCatalog } from './answering/chat-corpus.ts';
import { createChatRouter, readNote } from './answering/chat-router.ts';
import { type AskOptions, type Bot, MAX_QUESTION_LENGTH, type TrendingOptions } from './bot-types.ts';
import { PaperbotError } from './errors.ts';
import type { Logger } from './logger.ts';
import { searchWithinDates } from './retrieval/date-filter.ts';
import { questionDates, retrieveForQuestionDates } from './retrieval/question-dates.ts';
import { scoreRelevance } from './retrieval/relevance.ts';
import type { Retriever, SearchHit, SearchOptions } from './retrieval/types.ts';
import type { Digest } from './trending/types.ts';

export interface BotDependencies {
  retriever: Retriever;
  answerer: Answerer;
  /** Number of searchable papers loaded in this process (for the help text). */
  paperCount: () => number;
  /** Number of papers in the store (`Bot.paperCount`); default: `paperCount`. */
  countPapers?: () => Promise<number>;
  /** The trending digest engine; `trendingDigest` fails with NOT_CONFIGURED without it. */
  trending?: { trendingDigest(options?: TrendingOptions): Promise<Digest> };
  logger?: Logger;
  /** Papers retrieved per question (default 10). */
  retrievalDepth?: number;
  /**
   * The corpus (titles, vocabulary, IDF): lets questions name papers, follow-ups find the previous
   * answer's papers, and search report calibrated relevance. The `PaperIndex` provides it.
   */
  catalog?: CorpusCatalog;
}

/** Control characters other than tab and newline, and lone surrogates, are dropped from input. */
export function cleanInput(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function checkQuestion(raw: string, what: 'question' | 'query'): string {
  const text = cleanInput(raw ?? '');
  if (!text)
    throw new PaperbotError('QUESTION_EMPTY', `The ${what} is empty: ask something about the papers.`);
  if (text.length > MAX_QUESTION_LENGTH) {
    throw new PaperbotError(
      'QUESTION_TOO_LONG',
      `The ${what} is ${text.length} characters long; the limit is ${MAX_QUESTION_LENGTH}. Shorten it.`,
    );
  }
  return text;
}

/** The core API that every adapter calls: plain data in and out. */
export function createBot(dependencies: BotDependencies): Bot {
  const { retriever, answerer } = dependencies;
  const depth = dependencies.retrievalDepth ?? 10;

  // Conversation, follow-ups and named papers are routed before retrieval (src/answering/chat-router.ts).
  const router = createChatRouter({
    retriever,
    answerer,
    catalog: dependencies.catalog,
    paperCount: dependencies.paperCount,
    depth,
    maxQueryLength: MAX_QUESTION_LENGTH,
  });

  return {
    async ask(rawQuestion: string, options: AskOptions = {}): Promise<Answer> {
      const question = checkQuestion(rawQuestion, 'question');
      // Misspelt words are read as the corpus words they stand for, as on the router's paths.
      const spelling = dependencies.catalog?.correctSpelling?.(question);
      const read = spelling?.text ?? question;
      // A question naming dates ("papers from 2024", "recent") is answered from papers of those dates.
      if (questionDates(read, new Date())?.rest) {
        const dated = await retrieveForQuestionDates(
          read,
          (text, k) => retriever.search(text, { k, signal: options.signal }),
          depth,
        );
        const answer = await answerer.answer({
          question: dated.question,
          history: (options.history ?? []).slice(-10),
          hits: dated.hits,
          narrowed: dated.narrowed,
          signal: options.signal,
        });
        const note = `${readNote(spelling?.corrections ?? [])}${dated.note ? `${dated.note}\n\n` : ''}`;
        return note ? { ...answer, answer: `${note}${answer.answer}` } : answer;
      }
      return router.answer(question, options.history ?? [], options.signal);
    },

    async search(rawQuery: string, options: SearchOptions = {}): Promise<SearchHit[]> {
      const query = checkQuestion(rawQuery, 'query');
      const k = Math.min(Math.max(options.k ?? 10, 1), 100);
      const hits = await searchWithinDates(retriever, query, options.dates, { ...options, k });
      const catalog = dependencies.catalog;
      // Relevance reads the query as retrieval did: misspelt words as the corpus words they stand for.
      const read = catalog?.correctSpelling?.(query).text ?? query;
      return scoreRelevance(read, hits, (term) => catalog?.idf(term) ?? 1, catalog?.embeddings.modelId);
    },

    async trendingDigest(options?: TrendingOptions): Promise<Digest> {
      if (!dependencies.trending) {
        throw new PaperbotError('NOT_CONFIGURED', 'Trending digests are not available in this process.');
      }
      return dependencies.trending.trendingDigest(options);
    },

    paperCount: async () =>
      dependencies.countPapers ? dependencies.countPapers() : dependencies.paperCount(),
  };
}
