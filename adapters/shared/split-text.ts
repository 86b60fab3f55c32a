/**
 * Where a platform's markup may be cut: the largest index `<= index` that does not split one of
 * its escapes, links or entities.
 */
export type SafeCut = (text: string, index: number) => number;

/** Also never split a UTF-16 surrogate pair. */
function cutBetweenCharacters(text: string, index: number, safeCut: SafeCut): number {
  let cut = safeCut(text, Math.max(0, Math.min(index, text.length)));
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return cut;
}

/** Cuts text to at most `max` characters, ending with `…` when it was cut. */
export function truncateText(text: string, max: number, safeCut: SafeCut): string {
  if (text.length <= max) return text;
  return `${text.slice(0, cutBetweenCharacters(text, max - 1, safeCut)).trimEnd()}…`;
}

/**
 * Splits text into chunks of at most `limit` characters, preferring paragraph, then line, then
 * word boundaries, never where `safeCut` forbids.
 */
export function splitText(text: string, limit: number, safeCut: SafeCut): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = -1;
    for (const separator of ['\n\n', '\n', ' ']) {
      const at = window.lastIndexOf(separator);
      if (at >= Math.floor(limit / 2)) {
        cut = at;
        break;
      }
    }
    cut = cutBetweenCharacters(rest, cut < 0 ? limit : cut, safeCut);
    // A single unbreakable run longer than the limit: cut it rather than loop.
    if (cut <= 0) cut = limit;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
}
