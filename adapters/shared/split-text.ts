import { cutBetweenCharacters, type SafeCut } from '../../src/text/truncate.ts';

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
