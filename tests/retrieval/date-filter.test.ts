import { describe, expect, it } from 'vitest';
import type { AnswerRequest } from '../../src/answering/answerer.ts';
import { createBot } from '../../src/bot.ts';
import type { Paper } from '../../src/corpus/paper.ts';
import { dayBound, inDateRange, parseDateRange, searchWithinDates } from '../../src/retrieval/date-filter.ts';
import { questionDates, retrieveForQuestionDates } from '../../src/retrieval/question-dates.ts';
import type { Retriever } from '../../src/retrieval/types.ts';
import { recordingAnswerer } from '../fakes/recording-answerer.ts';

const NOW = new Date('2026-11-30T00:00:00Z');
const paper = (id: string, publishedAt?: string): Paper => ({ id, title: id, abstract: 'x', publishedAt });
const corpus = [
  paper('p2019', '2019-05-02'),
  paper('p2024', '2024-03'),
  paper('p2025', '2025-07-07T10:00:00Z'),
  paper('undated'),
];
/** The hook's view of a retriever: (question, k). */
const byK = (retriever: Retriever) => (query: string, k: number) => retriever.search(query, { k });

/** Returns the corpus in a fixed order whatever the query; records the k asked for. */
function stubRetriever(papers: Paper[] = corpus): Retriever & { calls: { query: string; k?: number }[] } {
  const calls: { query: string; k?: number }[] = [];
  return {
    calls,
    async search(query, options = {}) {
      calls.push({ query, k: options.k });
      return papers
        .slice(0, options.k ?? 10)
        .map((entry, index) => ({ paper: entry, score: 1 - index / 10 }));
    },
  };
}

describe('date ranges', () => {
  it('reads a year, a month or a day, and says what is wrong with anything else', () => {
    expect(parseDateRange('2024', '2024-06')).toEqual({ since: '2024-01-01', until: '2024-06-30' });
    expect(parseDateRange(undefined, '2024-02')).toEqual({ until: '2024-02-29' });
    expect(parseDateRange('2024-06-15')).toEqual({ since: '2024-06-15' });
    expect(parseDateRange()).toBeUndefined();
    expect(() => parseDateRange('June')).toThrow(/--since "June" is not a date/);
    expect(() => parseDateRange('2024-13')).toThrow(/not a date/);
    expect(() => parseDateRange('2024-02-30')).toThrow(/not a date/);
    expect(() => parseDateRange('2025', '2024')).toThrow(/after --until/);
    expect(dayBound('2023', 'end')).toBe('2023-12-31');
  });

  it('a month-only date matches any range touching that month; undated papers never match', () => {
    expect(inDateRange(paper('a', '2024-03'), { since: '2024-03-20' })).toBe(true);
    expect(inDateRange(paper('a', '2024-03'), { until: '2024-02-29' })).toBe(false);
    expect(inDateRange(paper('a'), { since: '1990-01-01' })).toBe(false);
    expect(inDateRange({ dailyPapersAt: '2026-06-12T00:00:00.000Z' }, { since: '2026-06-01' })).toBe(true);
  });

  it('search keeps the k best papers of the range, from a deeper candidate list', async () => {
    const retriever = stubRetriever();
    const hits = await searchWithinDates(retriever, 'q', { since: '2024-01-01' }, { k: 1 });
    expect(hits.map((hit) => hit.paper.id)).toEqual(['p2024']);
    expect(retriever.calls[0]!.k).toBe(100);
  });
});

describe('dates named in questions', () => {
  it('recognises years, ranges and "recent", and not a bare year', () => {
    expect(questionDates('Which papers from 2024 probe layers?', NOW)).toEqual({
      range: { since: '2024-01-01', until: '2024-12-31' },
      label: '2024',
      rest: 'Which papers probe layers?',
    });
    expect(questionDates('embeddings published since 2023', NOW)?.range).toEqual({ since: '2023-01-01' });
    expect(questionDates('probing before 2020', NOW)?.range).toEqual({ until: '2019-12-31' });
    expect(questionDates('work between 2019 and 2021 on BERT', NOW)?.range).toEqual({
      since: '2019-01-01',
      until: '2021-12-31',
    });
    expect(questionDates('recent work on sparse autoencoders', NOW)).toMatchObject({
      range: { since: '2024-11-30' },
      rest: 'work on sparse autoencoders',
    });
    expect(questionDates('what are the latest papers on probing?', NOW)?.rest).toBe(
      'what are papers on probing?',
    );
    expect(questionDates('methods recently proposed for probing', NOW)?.range).toEqual({
      since: '2024-11-30',
    });
    expect(questionDates('taking gradient steps on the recent history', NOW)).toBeUndefined();
    expect(questionDates('how do heads attend to the most recent tokens?', NOW)).toBeUndefined();
    expect(questionDates('who received the 2018 Turing Award?', NOW)).toBeUndefined();
    expect(questionDates('what do intermediate layers encode?', NOW)).toBeUndefined();
  });

  it('narrows to the range and says so; says so when nothing is dated or nothing is in range', async () => {
    const dated = await retrieveForQuestionDates('layers in 2024?', byK(stubRetriever()), 10, NOW);
    expect(dated).toMatchObject({
      question: 'layers?',
      note: 'Only papers published in 2024.',
      narrowed: true,
    });
    expect(dated.hits.map((hit) => hit.paper.id)).toEqual(['p2024']);
    const none = await retrieveForQuestionDates('layers in 2010?', byK(stubRetriever()), 10, NOW);
    expect(none).toMatchObject({ hits: [], note: 'No paper on this in the corpus is dated 2010.' });
    const undated = await retrieveForQuestionDates(
      'layers in 2024?',
      byK(stubRetriever([paper('u1'), paper('u2')])),
      10,
      NOW,
    );
    expect(undated).toMatchObject({ narrowed: false });
    expect(undated.hits).toHaveLength(2);
    expect(undated.note).toMatch(/have no publication dates, so this answer is not limited to 2024/);
    const plain = await retrieveForQuestionDates('layers?', byK(stubRetriever()), 3, NOW);
    expect(plain).toEqual({ hits: expect.any(Array), question: 'layers?', narrowed: false });
    expect(plain.hits).toHaveLength(3);
  });

  it('Bot.ask answers from the papers of the year and starts with the note', async () => {
    const seen: AnswerRequest[] = [];
    const answerer = recordingAnswerer(seen);
    const bot = createBot({ retriever: stubRetriever(), answerer, paperCount: () => corpus.length });
    const answer = await bot.ask('Which papers from 2025 discuss layers?');
    expect(seen[0]?.hits.map((hit) => hit.paper.id)).toEqual(['p2025']);
    expect(answer.answer).toBe('Only papers published in 2025.\n\nAbout Which papers discuss layers?');
    const searched = await bot.search('layers', { dates: { until: '2020-12-31' } });
    expect(searched.map((hit) => hit.paper.id)).toEqual(['p2019']);
  });
});
