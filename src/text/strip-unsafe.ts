/**
 * Removes what a feed can smuggle into a terminal or a chat message: ANSI/VT escape sequences
 * (CSI `ESC [ ... m`, OSC `ESC ] ... BEL`, two-byte `ESC x`), the remaining C0 and C1 control
 * characters, bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069, LRM/RLM/ALM)
 * and zero-width characters (U+200B-U+200D, U+2060, U+FEFF). Tabs and newlines become spaces
 * unless `keepNewlines`; everything else is kept as is.
 */
export function stripUnsafeText(text: string, options: { keepNewlines?: boolean } = {}): string {
  let clean = text
    // CSI: ESC [ (or the one-byte C1 CSI) parameters, intermediates, final byte.
    .replace(/(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]/g, '')
    // OSC and other strings: ESC ] ... terminated by BEL or ESC \ (or unterminated to the end).
    .replace(
      /(?:\u001b[\]PX^_]|[\u0090\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?/g,
      '',
    )
    // Any other escape: ESC and the character after it.
    .replace(/\u001b[\s\S]?/g, '')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff]/g, '');
  clean = options.keepNewlines
    ? clean.replace(/\r\n?/g, '\n').replace(/\t/g, ' ')
    : clean.replace(/[\t\n\r]/g, ' ');
  // What is left of C0 (but \n when kept), DEL and C1.
  return clean.replace(
    options.keepNewlines ? /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g : /[\u0000-\u001f\u007f-\u009f]/g,
    '',
  );
}
