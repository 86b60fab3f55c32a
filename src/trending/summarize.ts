import { normalizeWhitespace, type Paper } from '../corpus/paper.ts';
import { splitSentences } from '../corpus/sentences.ts';
import { describeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { truncateText } from '../text/truncate.ts';

/** Writes a one- or two-sentence summary of a paper (an LLM, wired by the composition root). */
export interface Summarizer {
  /** Short name for logs, e.g. `openai`. */
  readonly name: string;
  /** One or two plain-text sentences. May throw; the caller falls back to an extractive summary. */
  summarize(paper: Paper, options?: { signal?: AbortSignal }): Promise<string>;
}

/** Where a digest summary came from. */
export type SummarySource = 'feed' | 'llm' | 'extractive';

/** Longest summary kept, in characters. */
export const MAX_SUMMARY_LENGTH = 320;

const CONTRIBUTION =
  /\b(?:we|this (?:paper|work)|our)\s+(?:propose|introduce|present|develop|show|release|design)/i;

/** A summary cut to `MAX_SUMMARY_LENGTH` at a word boundary, with an ellipsis. */
function truncate(text: string): string {
  return truncateText(text, MAX_SUMMARY_LENGTH, { atWord: true });
}

/**
 * One or two sentences from the abstract, offline: the first sentence stating the contribution
 * ("we propose ...") or else the first sentence, plus the next one when the first is short.
 */
export function extractiveSummary(abstract: string): string {
  const sentences = splitSentences(normalizeWhitespace(abstract));
  if (sentences.length === 0) return '';
  const found = sentences.findIndex((sentence) => CONTRIBUTION.test(sentence));
  const index = Math.max(found, 0);
  let summary = sentences[index]!;
  const next = sentences[index + 1];
  if (summary.length < 140 && next) summary = `${summary} ${next}`;
  return truncate(summary);
}

/**
 * The summary of a paper for a digest: the feed's AI summary when present, otherwise the
 * summarizer's (when configured and it succeeds), otherwise an extractive one.
 */
export async function summarizePaper(
  paper: Paper,
  options: { summarizer?: Summarizer; logger?: Logger; signal?: AbortSignal } = {},
): Promise<{ summary: string; source: SummarySource }> {
  const feed = paper.aiSummary ? normalizeWhitespace(paper.aiSummary) : '';
  if (feed) return { summary: truncate(feed), source: 'feed' };
  if (options.summarizer) {
    try {
      const written = normalizeWhitespace(
        await options.summarizer.summarize(paper, { signal: options.signal }),
      );
      if (written) return { summary: truncate(written), source: 'llm' };
    } catch (error) {
      options.logger?.warn(
        { paperId: paper.id, summarizer: options.summarizer.name, error: describeError(error) },
        'summarizer failed; using an extractive summary',
      );
    }
  }
  return { summary: extractiveSummary(paper.abstract), source: 'extractive' };
}

/** `Hyunjae Kim` -> `H. Kim`; names without a space are kept. */
function shortName(name: string): string {
  const parts = normalizeWhitespace(name).split(' ');
  if (parts.length < 2) return parts[0] ?? '';
  const last = parts.at(-1)!;
  const initials = parts
    .slice(0, -1)
    .map((part) => (/^[A-Za-z\u00C0-\u024F]/.test(part) ? `${part[0]!.toUpperCase()}.` : part))
    .join(' ');
  return `${initials} ${last}`;
}

/** `A. Smith, B. Jones et al.` (up to three authors listed in full). Empty when unknown. */
export function shortenAuthors(authors: readonly string[] | undefined): string {
  const names = (authors ?? []).map(shortName).filter(Boolean);
  if (names.length === 0) return '';
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 2).join(', ')} et al.`;
}
