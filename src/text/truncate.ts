/**
 * Where a platform's markup may be cut: the largest index `<= index` that does not split one of
 * its escapes, links or entities. Plain text may be cut anywhere.
 */
export type SafeCut = (text: string, index: number) => number;

const ANYWHERE: SafeCut = (_text, index) => index;

/** A cut at or before `index` that `safeCut` allows and that does not split a UTF-16 surrogate pair. */
export function cutBetweenCharacters(text: string, index: number, safeCut: SafeCut = ANYWHERE): number {
  let cut = safeCut(text, Math.max(0, Math.min(index, text.length)));
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return cut;
}

export interface TruncateOptions {
  /** Where the text's markup may be cut (default: anywhere). */
  safeCut?: SafeCut;
  /** Back up to the last space when one is in the last 40% (and drop trailing `,;:`). */
  atWord?: boolean;
}

/** Cuts text to at most `max` characters, ending with `…` when it was cut. The one truncation of paperbot. */
export function truncateText(text: string, max: number, options: TruncateOptions = {}): string {
  if (text.length <= max) return text;
  let cut = cutBetweenCharacters(text, max - 1, options.safeCut);
  if (options.atWord) {
    const space = text.lastIndexOf(' ', cut);
    if (space > max * 0.6) cut = cutBetweenCharacters(text, space, options.safeCut);
  }
  const kept = text.slice(0, cut).trimEnd();
  return `${options.atWord ? kept.replace(/[\s,;:]+$/, '') : kept}…`;
}
