import type { Answer } from '../../src/answering/answerer.ts';
import type { AskOptions, Bot, TrendingOptions } from '../../src/bot-types.ts';
import type { Paper } from '../../src/corpus/paper.ts';
import { PaperbotError } from '../../src/errors.ts';
import type { SearchHit, SearchOptions } from '../../src/retrieval/types.ts';
import type { Digest } from '../../src/trending/types.ts';

export interface FakeBotOptions {
  papers?: Paper[];
  /** Makes `ask` throw this error. */
  askError?: Error;
  /** Overrides the answer text (e.g. 10,000 characters, or hostile markup). */
  answerText?: string;
  digest?: Digest;
  /** Makes `ask`, `search` and `trendingDigest` wait until this settles (a slow core the test releases). */
  hold?: Promise<unknown>;
}

/**
 * An answered `Answer` from the `fake` answerer with `text` and `sources`, citing `citations`
 * (by default every source): what adapters and renderers are given to show.
 */
export function fakeAnswer(
  text: string,
  sources: Answer['sources'],
  citations: Answer['citations'] = sources.map(({ n, paperId, title }) => ({ n, paperId, title })),
): Answer {
  return {
    answer: text,
    declined: false,
    outcome: 'answered',
    confidence: 0.9,
    citations,
    sources,
    answerer: 'fake',
  };
}

/** A recording Bot for adapter tests: answers from its papers, remembers every call. */
export class FakeBot implements Bot {
  readonly asks: { question: string; options?: AskOptions }[] = [];
  readonly searches: { query: string; options?: SearchOptions }[] = [];
  readonly trendingCalls: TrendingOptions[] = [];
  readonly papers: Paper[];

  constructor(readonly options: FakeBotOptions = {}) {
    this.papers = options.papers ?? [
      {
        id: '2401.00001',
        title: 'Layer by Layer: Hidden Representations',
        abstract: 'Intermediate layers beat the last layer.',
      },
      { id: '2401.00002', title: 'Second Paper', abstract: 'Another abstract about embeddings.' },
    ];
  }

  async ask(question: string, options?: AskOptions): Promise<Answer> {
    this.asks.push({ question, options });
    if (!question.trim()) throw new PaperbotError('QUESTION_EMPTY', 'The question is empty.');
    await this.options.hold;
    if (this.options.askError) throw this.options.askError;
    const [first, second] = this.papers;
    const sources = [first, second]
      .filter((paper): paper is Paper => Boolean(paper))
      .map((paper, index) => ({
        n: index + 1,
        paperId: paper.id,
        title: paper.title,
        link: `https://arxiv.org/abs/${paper.id}`,
        score: 1 - index / 10,
      }));
    const text = this.options.answerText ?? `Answer to "${question}" [1] and [2].`;
    return fakeAnswer(text, sources);
  }

  async search(query: string, options?: SearchOptions): Promise<SearchHit[]> {
    this.searches.push({ query, options });
    await this.options.hold;
    return this.papers.slice(0, options?.k ?? 10).map((paper, index) => ({ paper, score: 1 - index / 10 }));
  }

  async trendingDigest(options: TrendingOptions = {}): Promise<Digest> {
    this.trendingCalls.push(options);
    await this.options.hold;
    return (
      this.options.digest ?? {
        title: 'Trending papers',
        date: options.date ?? '2026-07-13',
        items: this.papers.map((paper, index) => ({
          rank: index + 1,
          paperId: paper.id,
          title: paper.title,
          summary: paper.abstract,
          links: { abs: `https://arxiv.org/abs/${paper.id}` },
          score: 10 - index,
        })),
      }
    );
  }

  async paperCount(): Promise<number> {
    return this.papers.length;
  }
}
