/** The note that ends text cut by a length cap. */
export const TRUNCATED_NOTE = '…(truncated)';

/**
 * Most characters kept of a model's reply. `max_tokens` (600 by default) asks the model to stop
 * well before this; a server that ignores it (a 200 KB reply) is cut here, so no reply can flood
 * a chat or a terminal.
 */
export const MAX_MODEL_REPLY_CHARS = 6_000;

/**
 * `text` cut to at most `maxChars` characters, at a word boundary when one is near, ending with
 * ` …(truncated)` when cut. Never splits a UTF-16 surrogate pair.
 */
export function capText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const room = Math.max(0, maxChars - TRUNCATED_NOTE.length - 1);
  let cut = room;
  const space = text.lastIndexOf(' ', room);
  if (space >= room * 0.8) cut = space;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut).trimEnd()} ${TRUNCATED_NOTE}`.slice(0, Math.max(maxChars, 0));
}

/**
 * The first `maxParts` of `parts` (the messages of a long answer). When any were dropped, the last
 * one kept is cut with `truncate` and ends with ` …(truncated)`, all within `maxChars`.
 */
export function capParts(
  parts: string[],
  maxParts: number,
  maxChars: number,
  truncate: (text: string, maxChars: number) => string,
): string[] {
  if (parts.length <= maxParts) return parts;
  const kept = parts.slice(0, maxParts);
  const room = maxChars - TRUNCATED_NOTE.length - 1;
  kept[kept.length - 1] = `${truncate(kept[kept.length - 1]!, room)} ${TRUNCATED_NOTE}`;
  return kept;
}

/** A model's reply capped at `MAX_MODEL_REPLY_CHARS` (see there). */
export function capModelReply(reply: string): string {
  return capText(reply, MAX_MODEL_REPLY_CHARS);
}
