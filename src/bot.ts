import type { Answer, Answerer, ConversationTurn } from './answering/answerer.ts';
import { type AskOptions, type Bot, MAX_QUESTION_LENGTH, type TrendingOptions } from './bot-types.ts';
import { PaperbotError } from './errors.ts';
import type { Logger } from './logger.ts';
import { searchWithinDates } from './retrieval/date-filter.ts';
import { retrieveForQuestionDates } from './retrieval/question-dates.ts';
import type { Retriever, SearchHit, SearchOptions } from './retrieval/types.ts';
import type { Digest } from './trending/types.ts';

export interface BotDependencies {
  retriever: Retriever;
  answerer: Answerer;
  /** Number of searchable papers. */
  paperCount: () => number;
  /** The trending digest engine; `trendingDigest` fails with NOT_CONFIGURED without it. */
  trending?: { trendingDigest(options?: TrendingOptions): Promise<Digest> };
  logger?: Logger;
  /** Papers retrieved per question (default 10). */
  retrievalDepth?: number;
}

/** Words that make a question lean on the previous turn ("which of those ..."). */
const FOLLOW_UP =
  /\b(those|these|them|they|their|its?|that one|this one|above|previous(ly)?|same|ones?|the (first|second|third|last))\b/i;

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

  async function retrieveForTurn(
    question: string,
    history: ConversationTurn[],
    signal?: AbortSignal,
    k = depth,
  ): Promise<SearchHit[]> {
    const lastUser = [...history].reverse().find((turn) => turn.role === 'user');
    if (!lastUser || !FOLLOW_UP.test(question)) return retriever.search(question, { k, signal });
    const lastAssistant = [...history].reverse().find((turn) => turn.role === 'assistant');
    if (lastAssistant) {
      // Papers named in the previous answer: a follow-up narrows them down. Their titles stand in
      // the text verbatim, so lexical search finds them without embedding the whole answer.
      const named = (
        await retriever.search(cleanInput(lastAssistant.text).slice(0, MAX_QUESTION_LENGTH), {
          k: depth,
          mode: 'lexical',
          signal,
        })
      )
        .filter((hit) => lastAssistant.text.includes(hit.paper.title))
        .map((hit) => hit.paper.id);
      if (named.length > 0) {
        const narrowed = (await retriever.search(question, { k: 50, signal })).filter((hit) =>
          named.includes(hit.paper.id),
        );
        if (narrowed.length > 0) return narrowed;
      }
    }
    return retriever.search(`${question} ${cleanInput(lastUser.text)}`.slice(0, MAX_QUESTION_LENGTH), {
      k,
      signal,
    });
  }

  return {
    async ask(rawQuestion: string, options: AskOptions = {}): Promise<Answer> {
      const question = checkQuestion(rawQuestion, 'question');
      const history = (options.history ?? []).slice(-10);
      // A question naming dates ("papers from 2024", "recent") is answered from papers of those dates.
      const dated = await retrieveForQuestionDates(
        question,
        (text, k) => retrieveForTurn(text, history, options.signal, k),
        depth,
      );
      const answer = await answerer.answer({
        question: dated.question,
        history,
        hits: dated.hits,
        signal: options.signal,
      });
      return dated.note ? { ...answer, answer: `${dated.note}\n\n${answer.answer}` } : answer;
    },

    async search(rawQuery: string, options: SearchOptions = {}): Promise<SearchHit[]> {
      const query = checkQuestion(rawQuery, 'query');
      const k = Math.min(Math.max(options.k ?? 10, 1), 100);
      return searchWithinDates(retriever, query, options.dates, { ...options, k });
    },

    async trendingDigest(options?: TrendingOptions): Promise<Digest> {
      if (!dependencies.trending) {
        throw new PaperbotError('NOT_CONFIGURED', 'Trending digests are not available in this process.');
      }
      return dependencies.trending.trendingDigest(options);
    },

    paperCount: dependencies.paperCount,
  };
}
