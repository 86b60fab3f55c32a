import { describe, expect, it } from 'vitest';
import { capModelReply, capText, MAX_MODEL_REPLY_CHARS, TRUNCATED_NOTE } from '../../src/text/cap-text.ts';
import { hasUnsafeCharacters, sanitizeText } from '../../src/text/sanitize.ts';

/** Characters that must never reach a terminal or a chat: escapes, controls, bidi, zero-width. */
const UNSAFE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

describe('sanitizeText', () => {
  it('removes ANSI escapes, bidi overrides and zero-width characters, keeping the words', () => {
    const hostile =
      '\u001b[31mRed\u001b[0m title\u001b]0;pwned\u0007 with \u202Eevil\u202C and zero\u200bwidth\u2060 \ufeffBOM';
    const clean = sanitizeText(hostile);
    expect(clean).toBe('Red title with evil and zerowidth BOM');
    expect(clean).not.toMatch(UNSAFE);
    expect(hasUnsafeCharacters(hostile)).toBe(true);
    expect(hasUnsafeCharacters(clean)).toBe(false);
  });

  it('turns other control characters into spaces and a lone carriage return into a newline, keeping CRLF line ends', () => {
    expect(sanitizeText('a\u0000b\u0008c\u007fd\u0085e')).toBe('a b c d e');
    expect(sanitizeText('line one\r\nline two\roverwritten\ttab')).toBe(
      'line one\r\nline two\noverwritten\ttab',
    );
  });

  it('leaves ordinary text, accents, CJK and emoji as they are', () => {
    const text = 'Café — 表現学習 🙂 [1] “quoted” <tag> & *stars*';
    expect(sanitizeText(text)).toBe(text);
  });
});

describe('capText', () => {
  it('cuts a 200 KB model reply to the limit, ending with the truncation note', () => {
    const reply = 'word '.repeat(40_000);
    const capped = capModelReply(reply);
    expect(capped.length).toBeLessThanOrEqual(MAX_MODEL_REPLY_CHARS);
    expect(capped.endsWith(TRUNCATED_NOTE)).toBe(true);
    expect(capModelReply('short [1].')).toBe('short [1].');
  });

  it('never splits a surrogate pair', () => {
    const capped = capText('🙂'.repeat(100), 51);
    expect(capped.length).toBeLessThanOrEqual(51);
    expect(capped).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});
