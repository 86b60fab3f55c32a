import type { SearchHit } from '../retrieval/types.ts';

/** One earlier turn of a conversation (a thread in Slack or Discord, a `chat` session). */
export interface ConversationTurn {
  role: 'user' | 'assistant';
  text: string;
  /**
   * Papers of an assistant turn, numbered as listed (`sources[0]` is `[1]`), when the adapter can
   * carry them; without them, follow-ups find the papers by the `[n] Title` lines of `text`.
   */
  sources?: { paperId: string }[];
}

/** A `[n]` marker in the answer and the paper it points to. */
export interface Citation {
  n: number;
  paperId: string;
  title: string;
}

/** A numbered source listed under the answer. */
export interface Source {
  n: number;
  paperId: string;
  title: string;
  /** arXiv abstract page (or another link) when known. */
  link?: string;
  /** Full author list, when known. */
  authors?: string[];
  /** First-version date (`YYYY-MM-DD` or `YYYY-MM`), when known. */
  published?: string;
  /** Short authors and year for display ("Qin & Van Durme, 2023"), when known. */
  byline?: string;
  score: number;
}

/** The answer to a question. JSON shape of `paperbot ask --json`. */
export interface Answer {
  answer: string;
  /** True only for the `declined` outcome: the corpus does not support an answer (the text says so). */
  declined: boolean;
  /** `answered` (cited support), `uncertain` (closest papers, may not answer), `declined`, or `chat` (a conversational reply, no papers). */
  outcome: 'answered' | 'uncertain' | 'declined' | 'chat';
  /** Calibrated probability (0-1) that the corpus answers the question. */
  confidence: number;
  /** Every `[n]` used in `answer`, each pointing to a retrieved paper. */
  citations: Citation[];
  /** The retrieved papers offered as sources, numbered as cited. */
  sources: Source[];
  /** Which answerer produced the text: `extractive` or `openai`. */
  answerer: string;
  /** Set when the configured answerer failed and the offline one answered instead. */
  fallbackReason?: string;
}

export interface AnswerRequest {
  question: string;
  /** Earlier turns, oldest first. */
  history: ConversationTurn[];
  /** Retrieved papers, best first. */
  hits: SearchHit[];
  /**
   * Set when `hits` were narrowed to a subset of the corpus (the papers of the question's dates):
   * the answerability score was fitted on whole-corpus retrieval, so there a low score means
   * uncertain, never a confident decline.
   */
  narrowed?: boolean;
  signal?: AbortSignal;
}

/** Turns a question and retrieved papers into a cited answer, or a plain decline. */
export interface Answerer {
  readonly name: string;
  answer(request: AnswerRequest): Promise<Answer>;
}
