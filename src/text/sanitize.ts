/**
 * Text from feeds, abstracts, users or a model made safe to show: nothing in it can move the
 * cursor, recolour a terminal, reorder what a reader sees or hide characters. Every renderer
 * (Slack, Discord, the CLI) passes untrusted text through `sanitizeText` before its own escaping.
 */

/** ANSI/VT escape sequences: CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ST`), other `ESC x` pairs. */
const ESCAPE_SEQUENCE =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u009b[0-?]*[ -/]*[@-~]|\u001b[@-_]?/g;
/** C0 controls but tab, newline and carriage return (handled first), DEL and C1 controls: shown as a space. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
/**
 * Bidirectional controls (embeddings, overrides, isolates, marks) and zero-width or invisible
 * characters (zero-width space/non-joiner/joiner, word joiner, invisible operators, BOM,
 * Mongolian vowel separator, soft hyphen): removed.
 */
const INVISIBLE = /[\u061c\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * Removes escape sequences, bidi controls and zero-width characters, turns a lone `\r` (which
 * moves the cursor back over a line) into `\n` while `\r\n` line ends stay (RFC 4180 CSV needs
 * them), and replaces any other control character (tab and newline excepted) with a space.
 */
export function sanitizeText(text: string): string {
  return clean(text, ' ');
}

function clean(text: string, controlReplacement: string): string {
  return text
    .replace(ESCAPE_SEQUENCE, '')
    .replace(/\r(?!\n)/g, '\n')
    .replace(CONTROL, controlReplacement)
    .replace(INVISIBLE, '');
}

/** True when `sanitizeText` would change `text`. */
export function hasUnsafeCharacters(text: string): boolean {
  return sanitizeText(text) !== text;
}

/**
 * For stored paper fields: as `sanitizeText`, but other control characters are removed (a feed's
 * stray byte inside a word leaves the word whole), and tabs (and newlines, unless `keepNewlines`)
 * become spaces, so a one-line field stays one line.
 */
export function stripUnsafeText(text: string, options: { keepNewlines?: boolean } = {}): string {
  const cleaned = clean(text.replace(/\t/g, ' '), '').replace(/\r\n/g, '\n');
  return options.keepNewlines ? cleaned : cleaned.replace(/\n/g, ' ');
}
