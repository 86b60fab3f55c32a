import type { Paper } from '../corpus/paper.ts';
import { normalizeWhitespace } from '../corpus/paper.ts';
import { truncateText } from '../text/truncate.ts';
import type { AnswerRequest } from './answerer.ts';
import { fillPrompt } from './prompt-template.ts';

/** How every declining answer starts; both answerers use it and the code detects it. */
export const DECLINE_PREFIX = 'I found no paper in the corpus about';

/** A chat message in the shape every OpenAI-compatible server accepts. */
export interface PromptMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface AnswerPromptOptions {
  /** Abstracts longer than this are cut (with an ellipsis) to bound the prompt. Default 2,000. */
  maxAbstractChars?: number;
  /** Earlier turns sent to the model, most recent kept. Default 8. */
  maxHistoryTurns?: number;
  /** Each earlier turn is cut to this length. Default 1,500. */
  maxTurnChars?: number;
}

/**
 * Escapes text placed inside a `<paper>` element so that nothing in it can close the element or
 * open another one: `&`, `<`, `>` and `"` become entities.
 */
export function escapeData(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One paper as a delimited, escaped data block. `n` is omitted for summaries. */
export function paperBlock(paper: Paper, n: number | undefined, maxAbstractChars = 2_000): string {
  const number = n === undefined ? '' : ` n="${n}"`;
  const abstract = truncateText(normalizeWhitespace(paper.abstract), maxAbstractChars);
  return [
    `<paper${number} id="${escapeData(paper.id)}">`,
    `Title: ${escapeData(normalizeWhitespace(paper.title))}`,
    `Abstract: ${escapeData(abstract)}`,
    '</paper>',
  ].join('\n');
}

/** System prompt, earlier turns, then the papers and the question as the last user message. */
export function buildAnswerMessages(
  request: AnswerRequest,
  options: AnswerPromptOptions = {},
): PromptMessage[] {
  const maxHistoryTurns = options.maxHistoryTurns ?? 8;
  const maxTurnChars = options.maxTurnChars ?? 1_500;
  const history = maxHistoryTurns > 0 ? request.history.slice(-maxHistoryTurns) : [];
  const papers = request.hits
    .map((hit, index) => paperBlock(hit.paper, index + 1, options.maxAbstractChars))
    .join('\n');
  return [
    { role: 'system', content: fillPrompt('answer-system', { declinePrefix: DECLINE_PREFIX }) },
    ...history.map(
      (turn): PromptMessage => ({ role: turn.role, content: truncateText(turn.text, maxTurnChars) }),
    ),
    { role: 'user', content: fillPrompt('answer-user', { papers, question: request.question.trim() }) },
  ];
}

/** The single user message asking for a one-or-two-sentence digest summary of `paper`. */
export function buildSummaryMessages(paper: Paper, maxAbstractChars = 3_000): PromptMessage[] {
  return [
    {
      role: 'user',
      content: fillPrompt('summary', { paper: paperBlock(paper, undefined, maxAbstractChars) }),
    },
  ];
}

/** True when a reply starts with the decline sentence (ignoring case, quotes and Markdown emphasis). */
export function isDecline(text: string): boolean {
  const start = text.trimStart().replace(/^[\s*_"'“>#-]+/, '');
  return start.toLowerCase().startsWith(DECLINE_PREFIX.toLowerCase());
}
