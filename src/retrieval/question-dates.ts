import { type DateRange, describeDateRange, inDateRange, paperDate } from './date-filter.ts';
import type { SearchHit } from './types.ts';

/** What a question says about publication dates. */
export interface QuestionDates {
  range: DateRange;
  /** How the answer names the range: "2024", "since 2023-01-01", "the last two years". */
  label: string;
  /** The question without the date words, for retrieval and answering. */
  rest: string;
}

/** How far back "recent" reaches from today. */
export const RECENT_MONTHS = 24;

const YEAR = '((?:19|20)\\d{2})';
const PATTERNS: { pattern: RegExp; range: (years: number[], now: Date) => DateRange }[] = [
  {
    pattern: new RegExp(`\\b(?:published |written )?between ${YEAR} and ${YEAR}\\b`, 'i'),
    range: ([from, to]) => ({ since: `${from}-01-01`, until: `${to}-12-31` }),
  },
  {
    pattern: new RegExp(`\\b(?:published |written )?since ${YEAR}\\b`, 'i'),
    range: ([year]) => ({ since: `${year}-01-01` }),
  },
  {
    pattern: new RegExp(`\\b(?:published |written )?after ${YEAR}\\b`, 'i'),
    range: ([year]) => ({ since: `${year! + 1}-01-01` }),
  },
  {
    pattern: new RegExp(`\\b(?:published |written )?before ${YEAR}\\b`, 'i'),
    range: ([year]) => ({ until: `${year! - 1}-12-31` }),
  },
  {
    pattern: new RegExp(
      `\\b(?:(?:published|written|released|appeared) )?(?:from|in|of|during) ${YEAR}\\b`,
      'i',
    ),
    range: ([year]) => ({ since: `${year}-01-01`, until: `${year}-12-31` }),
  },
  {
    pattern: new RegExp(`\\b${YEAR} papers\\b`, 'i'),
    range: ([year]) => ({ since: `${year}-01-01`, until: `${year}-12-31` }),
  },
  {
    pattern: /\b(?:published |from )?this year\b/i,
    range: (_, now) => ({ since: `${now.getUTCFullYear()}-01-01`, until: `${now.getUTCFullYear()}-12-31` }),
  },
  {
    pattern: /\b(?:published |from )?last year\b/i,
    range: (_, now) => ({
      since: `${now.getUTCFullYear() - 1}-01-01`,
      until: `${now.getUTCFullYear() - 1}-12-31`,
    }),
  },
];

/**
 * "recent papers", "the latest work on", "most recent research", "recently published": the word
 * must qualify papers or research, so "the recent history" or "most recent tokens" is no date filter.
 */
const RECENT =
  /\b(?:the )?(?:most )?(?:recent|latest|newest)(?=\s+(?:[\w-]+\s+)?(?:papers?|work|works|research|studies|publications?|articles?|advances|results|developments|literature|findings|approaches|methods)\b)|\brecently(?=\s+(?:published|proposed|released|introduced)\b)/i;

/**
 * The publication dates a question asks for: a year ("papers from 2024", "since 2023", "before
 * 2020", "between 2019 and 2021", "2024 papers", "this year") or "recent"/"latest"/"newest"
 * qualifying papers or research (the last `RECENT_MONTHS` months before `now`). Undefined when it names none. A bare year
 * ("the 2018 Turing Award") is not a date filter.
 */
export function questionDates(question: string, now: Date): QuestionDates | undefined {
  for (const { pattern, range } of PATTERNS) {
    const match = question.match(pattern);
    if (!match) continue;
    const years = match.slice(1).filter(Boolean).map(Number);
    const found = range(years, now);
    return { range: found, label: describeDateRange(found), rest: tidy(question.replace(pattern, ' ')) };
  }
  const recent = question.match(RECENT);
  if (!recent) return undefined;
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - RECENT_MONTHS, now.getUTCDate()));
  return {
    range: { since: since.toISOString().slice(0, 10) },
    label: `the last ${RECENT_MONTHS} months (since ${since.toISOString().slice(0, 10)})`,
    rest: tidy(question.replace(RECENT, ' ')),
  };
}

function tidy(text: string): string {
  return text
    .replace(/\s+([?.!,])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Candidates retrieved before the date filter keeps `depth` of them. */
const DATED_CANDIDATES = 100;

/** Hits narrowed to a question's dates, and the note the answer starts with. */
export interface DatedRetrieval {
  hits: SearchHit[];
  /** Set when the question named dates: what was done about them. */
  note?: string;
  /** The question without its date words (retrieval and answering use it). */
  question: string;
  /** Whether `hits` were narrowed to the dates (a subset of what retrieval ranked). */
  narrowed: boolean;
}

/**
 * The question-level date hook of `ask`: when the question names dates, retrieves
 * `DATED_CANDIDATES` papers for the rest of the question and keeps the first `depth` published in
 * the range. When no candidate has a date, keeps them all and says the corpus has no dates; when
 * none falls in the range, returns no hits (so the answer declines) and says so.
 */
export async function retrieveForQuestionDates(
  question: string,
  retrieve: (question: string, k: number) => Promise<SearchHit[]>,
  depth: number,
  now: Date = new Date(),
): Promise<DatedRetrieval> {
  const dates = questionDates(question, now);
  if (!dates?.rest) return { hits: await retrieve(question, depth), question, narrowed: false };
  const candidates = await retrieve(dates.rest, DATED_CANDIDATES);
  if (!candidates.some((hit) => paperDate(hit.paper))) {
    return {
      hits: candidates.slice(0, depth),
      question: dates.rest,
      narrowed: false,
      note: `The papers found have no publication dates, so this answer is not limited to ${dates.label}.`,
    };
  }
  const kept = candidates.filter((hit) => inDateRange(hit.paper, dates.range)).slice(0, depth);
  return {
    hits: kept,
    question: dates.rest,
    narrowed: true,
    note:
      kept.length > 0
        ? `Only papers published ${/^\d/.test(dates.label) ? `in ${dates.label}` : dates.label}.`
        : `No paper on this in the corpus is dated ${dates.label}.`,
  };
}
