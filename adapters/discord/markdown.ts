/**
 * Discord markdown helpers. Text from abstracts, titles, users or a model goes through
 * `escapeUntrusted`, so it can neither ping (`@everyone`, `<@id>`, `<@&role>`) nor forge a link
 * (`[text](url)`, bare URLs); messages carrying it are also sent with `allowedMentions: { parse: [] }`.
 */

import { sanitizeText } from '../../src/text/sanitize.ts';
import { truncateText } from '../../src/text/truncate.ts';
import { parseHttpUrl } from '../shared/http-url.ts';
import { splitText as splitAtBoundaries } from '../shared/split-text.ts';

const ZERO_WIDTH_SPACE = '\u200b';
/** Characters with inline meaning in Discord markdown (formatting, spoilers, masked links, mentions). */
const INLINE = /[\\*_~`|[\]()<>]/g;
/** Markers that only mean something at the start of a line: headings, quotes, lists, subtext. */
const LINE_START = /^(\s*)([#>\-+]|\d+\.)/gm;
const MASS_MENTION = /@(everyone|here)/gi;
const URL_SCHEME = /\b([a-z][a-z0-9+.-]*):\/\//gi;

/**
 * Untrusted text made inert: escape sequences, bidi and zero-width characters removed and other
 * control characters replaced by spaces (`sanitizeText`), every markdown character
 * escaped, `@everyone`/`@here` broken with a zero-width space, and `scheme://` broken the same way
 * so Discord does not auto-link it.
 */
export function escapeUntrusted(text: string): string {
  return sanitizeText(text)
    .replace(INLINE, (character) => `\\${character}`)
    .replace(LINE_START, (_whole, space: string, marker: string) => `${space}\\${marker}`)
    .replace(MASS_MENTION, `@${ZERO_WIDTH_SPACE}$1`)
    .replace(URL_SCHEME, `$1:${ZERO_WIDTH_SPACE}//`);
}

/** Collapses whitespace runs (abstracts are often hard-wrapped) and trims. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** An http(s) URL safe inside `[label](url)` and embed `url` fields, or undefined. */
export function safeUrl(raw: string | undefined): string | undefined {
  return parseHttpUrl(raw)?.href.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
}

/**
 * Longest link target put in a masked link: three links still fit a 1,024-character field, and a
 * source line its field, whatever URL a feed supplied (real paper and code URLs are far shorter).
 */
export const MAX_LINK_URL = 300;

/** `[label](url)` when the URL is safe and not over-long, else the label. `label` must already be escaped. */
export function maskedLink(label: string, url: string | undefined): string {
  const safe = safeUrl(url);
  return safe && safe.length <= MAX_LINK_URL ? `[${label}](${safe})` : label;
}

/** A cut point at or before `index` that does not split an escape (`\\x`). */
function safeCut(text: string, index: number): number {
  let cut = index;
  let backslashes = 0;
  while (cut - backslashes - 1 >= 0 && text[cut - backslashes - 1] === '\\') backslashes++;
  if (backslashes % 2 === 1) cut--;
  return cut;
}

/** Cuts (escaped) text to at most `max` characters, ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  return truncateText(text, max, { safeCut });
}

/**
 * Splits (escaped) text into chunks of at most `limit` characters, preferring paragraph, line,
 * then word boundaries, never inside an escape.
 */
export function splitText(text: string, limit: number): string[] {
  return splitAtBoundaries(text, limit, safeCut);
}

/** Message text from Discord made plain for the core: mentions of the bot removed, others named. */
export function plainFromDiscord(content: string, botUserId: string): string {
  return content
    .replace(new RegExp(`<@!?${botUserId}>`, 'g'), ' ')
    .replace(/<@!?(\d+)>/g, '@user')
    .replace(/<@&(\d+)>/g, '@role')
    .replace(/<#(\d+)>/g, '#channel')
    .replace(/\s+/g, ' ')
    .trim();
}
