/**
 * Slack mrkdwn helpers. Everything that came from a model, an abstract or a user goes through
 * `safeText`, so it can neither ping (`<!channel>`, `<@U…>`, `@here`) nor smuggle in a link.
 */

import { sanitizeText } from '../../src/text/sanitize.ts';
import { truncateText } from '../../src/text/truncate.ts';
import { parseHttpUrl } from '../shared/http-url.ts';
import { splitText } from '../shared/split-text.ts';

/** A link to a paper on arXiv, which the core reads as that paper. */
const ARXIV_LINK = /^https?:\/\/(?:www\.|export\.)?arxiv\.org\//i;
const MASS_MENTION = /@(here|channel|everyone)\b/gi;
const WORD_JOINER = '\u2060';
/** Characters that open or close mrkdwn formatting: bold, italic, strike, code. */
const FORMATTING = /[*_~`]/g;

/** Escapes the three characters Slack treats as control characters in mrkdwn. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Untrusted text made inert for mrkdwn: control, bidi and zero-width characters stripped
 * (`sanitizeText`), `&`, `<`, `>` escaped, bare `@here`/`@channel`/`@everyone` broken with an
 * invisible word joiner (Slack links those when a message is parsed with `link_names`), and each
 * formatting character (`*`, `_`, `~`, backtick) fenced by word joiners. mrkdwn has no escape
 * character: a marker only formats next to a space, the text's edge or punctuation, so fenced
 * markers show as themselves.
 */
export function safeText(text: string): string {
  return escapeMrkdwn(sanitizeText(text))
    .replace(MASS_MENTION, `@${WORD_JOINER}$1`)
    .replace(FORMATTING, (marker) => `${WORD_JOINER}${marker}${WORD_JOINER}`);
}

/** An http(s) URL fit for `<url|label>`, or undefined for anything else (javascript:, garbage). */
export function safeUrl(raw: string | undefined): string | undefined {
  return parseHttpUrl(raw)
    ?.href.replace(/\|/g, '%7C')
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')
    .replace(/&/g, '&amp;');
}

/** `<url|label>` when the URL is safe, else the label alone. `label` must already be safe mrkdwn. */
export function link(url: string | undefined, label: string): string {
  const safe = safeUrl(url);
  return safe ? `<${safe}|${label}>` : label;
}

/**
 * Slack message text (as delivered in events) to plain text for the core: drops mentions of the
 * bot, turns the other `<…>` forms into readable text and undoes Slack's entity escaping.
 */
export function plainFromSlack(text: string, botUserId?: string): string {
  return sanitizeText(text)
    .replace(/<([^<>]+)>/g, (_whole, inner: string) => {
      const [target = '', label] = inner.split('|', 2);
      if (target.startsWith('@')) return target.slice(1) === botUserId ? '' : `@${label ?? target.slice(1)}`;
      if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
      if (target.startsWith('!')) return `@${label ?? target.slice(1).split('^')[0]}`;
      // A labelled arXiv link keeps its address: the core reads the paper from it ("<https://arxiv.org/abs/…|this paper>").
      if (label !== undefined && label !== target && ARXIV_LINK.test(target)) return `${label} (${target})`;
      return label ?? target;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/**
 * The largest index `<= index` at which mrkdwn can be cut without breaking a `<…>` link or an
 * `&…;` entity.
 */
function safeCut(text: string, index: number): number {
  let cut = index;
  const open = text.lastIndexOf('<', cut - 1);
  if (open >= 0 && text.lastIndexOf('>', cut - 1) < open) cut = open;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && cut - amp <= 5 && !text.slice(amp, cut).includes(';')) cut = amp;
  return cut;
}

/** Cuts safe mrkdwn to at most `max` characters, ending with `…` when it was cut. */
export function truncateMrkdwn(text: string, max: number): string {
  return truncateText(text, max, { safeCut });
}

/**
 * Splits safe mrkdwn into chunks of at most `limit` characters, preferring paragraph, then line,
 * then word boundaries, and never cutting inside a link or an entity.
 */
export function splitMrkdwn(text: string, limit: number): string[] {
  return splitText(text, limit, safeCut);
}
