import type { types } from '@slack/bolt';
import type { Answer } from '../../src/answering/answerer.ts';
import { capParts } from '../../src/text/cap-text.ts';
import { link, safeText, splitMrkdwn, truncateMrkdwn } from './mrkdwn.ts';

export type KnownBlock = types.KnownBlock;

/** A message ready for `chat.postMessage` or `respond()`. */
export interface SlackMessage {
  /** Plain-text fallback (notifications, screen readers); safe mrkdwn, at most 3,000 characters. */
  text: string;
  blocks: KnownBlock[];
}

/** Slack's limits, with a margin under the ~13k characters where `msg_blocks_too_long` starts. */
export const SLACK_LIMITS = {
  sectionChars: 3_000,
  blocksPerMessage: 50,
  blockCharsPerMessage: 11_000,
  fallbackChars: 3_000,
  buttonValueChars: 2_000,
} as const;

/** Action ids of the feedback buttons under an answer. */
export const FEEDBACK_ACTIONS = { up: 'paperbot_feedback_up', down: 'paperbot_feedback_down' } as const;

/** What a feedback button carries, so a click can be recorded without server-side state. */
export interface FeedbackValue {
  /** The question (cut to fit Slack's 2,000-character button value). */
  q: string;
  /** Paper ids cited by the answer. */
  p: string[];
}

export function section(mrkdwn: string): KnownBlock {
  // verbatim: Slack must not auto-link URLs or names found in the (untrusted) text.
  return { type: 'section', text: { type: 'mrkdwn', text: mrkdwn, verbatim: true } };
}

export function context(mrkdwn: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn, verbatim: true }] };
}

/** Replaces `[n]` markers with links to source `n` (when it has a safe link). Input is safe mrkdwn. */
export function linkCitations(mrkdwn: string, sources: Answer['sources']): string {
  const byNumber = new Map(sources.map((source) => [source.n, source]));
  return mrkdwn.replace(/\[(\d{1,3})\]/g, (marker, digits: string) => {
    const source = byNumber.get(Number(digits));
    return source ? link(source.link, marker) : marker;
  });
}

/**
 * The JSON a feedback button carries, always within Slack's 2,000-character value limit. The
 * question is cut first; then ids are dropped from the end, and an id too long to fit on its own
 * is left out (ingest bounds ids, but the renderer must not trust that).
 */
export function feedbackValue(question: string, paperIds: string[]): string {
  const limit = SLACK_LIMITS.buttonValueChars;
  const ids: string[] = [];
  // With an empty question, ids may use what is left of the limit.
  let used = JSON.stringify({ q: '', p: [] }).length;
  for (const id of paperIds.slice(0, 20)) {
    const cost = JSON.stringify(id).length + (ids.length > 0 ? 1 : 0);
    if (used + cost > limit) continue;
    ids.push(id);
    used += cost;
  }
  // What is left goes to the question; escaping can make JSON longer than the text, so cut until it fits.
  let room = limit - used;
  let q = question.slice(0, room);
  let encoded = JSON.stringify({ q, p: ids } satisfies FeedbackValue);
  while (encoded.length > limit && q.length > 0) {
    room = Math.max(0, Math.min(q.length - 1, room - (encoded.length - limit)));
    q = question.slice(0, room);
    encoded = JSON.stringify({ q, p: ids } satisfies FeedbackValue);
  }
  return encoded;
}

function feedbackBlock(question: string, answer: Answer): KnownBlock {
  const cited = answer.citations.map((citation) => citation.paperId);
  const value = feedbackValue(question, [...new Set(cited)]);
  return {
    type: 'actions',
    block_id: 'paperbot_feedback',
    elements: [
      { type: 'button', action_id: FEEDBACK_ACTIONS.up, text: { type: 'plain_text', text: '👍' }, value },
      { type: 'button', action_id: FEEDBACK_ACTIONS.down, text: { type: 'plain_text', text: '👎' }, value },
    ],
  };
}

function sourcesBlock(answer: Answer): KnownBlock | undefined {
  if (answer.sources.length === 0) return undefined;
  const lines = answer.sources.map(
    (source) =>
      `[${source.n}] ${link(source.link, safeText(source.title))}${source.byline ? ` · ${safeText(source.byline)}` : ''} · score ${source.score.toFixed(2)}`,
  );
  const heading =
    answer.outcome === 'uncertain' ? '*Closest papers* (the abstracts may not answer this)' : '*Sources*';
  return section(truncateMrkdwn(`${heading}\n${lines.join('\n')}`, SLACK_LIMITS.sectionChars));
}

/** Characters a block contributes towards Slack's per-message size limit. */
export function blockSize(block: KnownBlock): number {
  return JSON.stringify(block).length;
}

/**
 * Packs body blocks, then trailing blocks (kept together in the last message), into as few
 * messages as Slack's block-count and size limits allow.
 */
export function packMessages(
  body: KnownBlock[],
  trailing: KnownBlock[],
  fallback: (blocks: KnownBlock[]) => string,
) {
  const messages: KnownBlock[][] = [[]];
  const fits = (blocks: KnownBlock[], extra: KnownBlock[]) =>
    blocks.length + extra.length <= SLACK_LIMITS.blocksPerMessage &&
    [...blocks, ...extra].reduce((total, block) => total + blockSize(block), 0) <=
      SLACK_LIMITS.blockCharsPerMessage;
  for (const block of body) {
    const current = messages[messages.length - 1]!;
    if (current.length > 0 && !fits(current, [block])) messages.push([block]);
    else current.push(block);
  }
  const last = messages[messages.length - 1]!;
  if (trailing.length > 0) {
    if (last.length > 0 && !fits(last, trailing)) messages.push([...trailing]);
    else last.push(...trailing);
  }
  return messages.map((blocks): SlackMessage => ({ blocks, text: fallback(blocks) }));
}

/** Joins the section texts of blocks into a fallback within Slack's recommended length. */
export function fallbackFrom(blocks: KnownBlock[], fallbackWhenEmpty: string): string {
  const texts = blocks.flatMap((block) =>
    block.type === 'section' && block.text?.type === 'mrkdwn' ? [block.text.text] : [],
  );
  return truncateMrkdwn(texts.join('\n\n') || fallbackWhenEmpty, SLACK_LIMITS.fallbackChars);
}

/**
 * Sections of answer text posted at most: 21,000 characters, about 3 messages. A runaway answer
 * is a few messages, not dozens; a 10,000-character answer still fits whole.
 */
export const MAX_ANSWER_SECTIONS = 7;

/**
 * An answer as one or more Slack messages: the answer text (escaped, pings defused, `[n]` linked
 * to sources) split into sections, then the sources, an optional note and 👍/👎 buttons.
 * `heading` (safe mrkdwn) goes first, e.g. the question of `/ask`.
 */
export function renderAnswer(
  answer: Answer,
  question: string,
  options: { feedback?: boolean; heading?: string } = {},
): SlackMessage[] {
  const text = linkCitations(safeText(answer.answer), answer.sources);
  // At most `MAX_ANSWER_SECTIONS` sections, the last ending with `…(truncated)` when any were dropped.
  const sections = splitMrkdwn(text, SLACK_LIMITS.sectionChars);
  const body = capParts(sections, MAX_ANSWER_SECTIONS, SLACK_LIMITS.sectionChars, truncateMrkdwn).map(
    section,
  );
  if (options.heading) body.unshift(context(truncateMrkdwn(options.heading, 2_000)));
  const trailing: KnownBlock[] = [];
  const sources = sourcesBlock(answer);
  if (sources) trailing.push(sources);
  if (answer.fallbackReason)
    trailing.push(context('Answered by the offline answerer: the configured one failed.'));
  if (options.feedback !== false) trailing.push(feedbackBlock(question, answer));
  return packMessages(body, trailing, (blocks) => fallbackFrom(blocks, 'Sources for the answer above.'));
}

/** A short message of our own (usage, apology, rate limit). */
export function renderNotice(mrkdwn: string): SlackMessage {
  return { text: mrkdwn, blocks: [section(mrkdwn)] };
}
