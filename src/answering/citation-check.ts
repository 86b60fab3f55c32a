/** Result of checking the `[n]` markers of an answer against the retrieved sources. */
export interface CitationCheck {
  /** The text with every marker to an unknown source removed (valid ones in the same group kept). */
  text: string;
  /** Valid source numbers, in order of first use, without duplicates. */
  used: number[];
  /** Invalid numbers that were removed, in order of appearance, without duplicates. */
  removed: number[];
}

// `[1]`, `[1, 2]`, `[1;3]`, `[2-4]`, `[2–4]`, `[2—4]`; adjacent groups such as `[1][3]` match one by one.
const MARKER = /(\s*)\[(\s*\d+\s*(?:[-–—]\s*\d+\s*)?(?:[,;]\s*\d+\s*(?:[-–—]\s*\d+\s*)?)*)\]/g;
/** A range wider than this is not a citation list; its numbers are all treated as invalid. */
const MAX_RANGE = 20;
/** Stands where a removed marker was, so the tidying below only touches its surroundings. */
const GONE = '\u0001';
/** Words joining citations: `[1] and [2]`, `[1], [2]`, `[1] or [2]`, `[1] & [2]`. */
const JOIN = String.raw`(?:,|;|\band\b|\bor\b|&)`;
/** Phrases that only point at a citation: "see [7]", "cf. [7]", "e.g. [7]", "as shown in [7]", "such as [7]". */
const POINTER = String.raw`(?:\b(?:see(?: also)?|cf\.?|e\.g\.,?|compare(?: with| to)?|such as|as (?:shown|described|reported|discussed) (?:in|by)|in|by|from)\s*)`;
/** Words left in a sentence whose citations were all removed, when nothing else is left. */
const EMPTY_SENTENCE = /^(?:\s|also|see|and|or|cf|e\.?g|for|more|details|papers?|[,;:.!?()-])*$/i;

/**
 * Keeps only citations to sources 1..`sourceCount`. A marker whose numbers are all invalid is
 * removed with what only served it: the space before it, a joining "and" or comma (`[7] and [1]`
 * becomes `[1]`), a pointer such as "see" or "cf.", parentheses left empty, and a sentence left
 * with no words of its own ("Also see [7]."). A group mixing valid and invalid numbers keeps the
 * valid ones. Text around valid markers is never changed.
 */
export function checkCitations(text: string, sourceCount: number): CitationCheck {
  const used: number[] = [];
  const removed: number[] = [];
  const isValid = (n: number) => Number.isInteger(n) && n >= 1 && n <= sourceCount;
  const marked = text.replace(MARKER, (match, space: string, group: string) => {
    const numbers = expand(group);
    const valid = unique(numbers.filter(isValid));
    for (const n of numbers) if (!isValid(n) && !removed.includes(n)) removed.push(n);
    for (const n of valid) if (!used.includes(n)) used.push(n);
    if (valid.length === numbers.length) return match;
    return valid.length === 0 ? `${space}${GONE}` : `${space}[${valid.join(', ')}]`;
  });
  const cleaned = removed.length > 0 ? tidy(marked) : marked;
  return { text: cleaned.trim(), used, removed };
}

/**
 * Renumbers the (valid) markers of `text`: source `order[i]` becomes `[i + 1]`. Numbers missing
 * from `order` are dropped. Ranges come out as lists (`[3-4]` → `[1, 2]`).
 */
export function renumberCitations(text: string, order: number[]): string {
  const next = new Map(order.map((old, index) => [old, index + 1]));
  return text.replace(MARKER, (_match, space: string, group: string) => {
    const numbers = unique(expand(group).flatMap((n) => next.get(n) ?? []));
    return numbers.length === 0 ? '' : `${space}[${numbers.join(', ')}]`;
  });
}

function tidy(text: string): string {
  let result = text;
  let before: string;
  do {
    before = result;
    // `[7] and [9]` (both removed) is one gap; `[7] and [1]` and `[1] and [7]` keep `[1]`.
    result = result
      .replace(new RegExp(`${GONE}\\s*${JOIN}\\s*${GONE}`, 'g'), GONE)
      .replace(new RegExp(`${GONE}\\s*${JOIN}\\s*(?=\\[\\d)`, 'g'), '')
      .replace(new RegExp(`(?<=\\])\\s*${JOIN}\\s*${GONE}`, 'g'), GONE)
      .replace(new RegExp(`\\s*${POINTER}${GONE}`, 'gi'), GONE)
      .replace(new RegExp(`\\s*\\(\\s*${GONE}\\s*\\)`, 'g'), GONE);
  } while (result !== before);
  result = result
    .replace(new RegExp(`\\s*${JOIN}\\s*${GONE}(?=\\s*(?:[.!?;:)]|$))`, 'g'), GONE)
    .replace(new RegExp(GONE, 'g'), '')
    .replace(/\(\s*[,;]?\s*\)/g, '')
    .replace(/[ \t]+([.,;:!?)])/g, '$1')
    .replace(/\([ \t]+/g, '(')
    .replace(/[,;]+(?=[.!?])/g, '')
    .replace(/(\S)[ \t]{2,}(?=\S)/g, '$1 ');
  // A sentence that held nothing but citations ("Also see [7].") goes entirely.
  return result
    .split(/(?<=[.!?])(?=\s)/)
    .filter((sentence) => !EMPTY_SENTENCE.test(sentence))
    .join('')
    .replace(/^\s+/, '');
}

function expand(group: string): number[] {
  const numbers: number[] = [];
  for (const part of group.split(/[,;]/)) {
    const [first, last] = part.split(/[-–—]/).map((value) => Number.parseInt(value.trim(), 10));
    if (first === undefined) continue;
    if (last === undefined || Number.isNaN(last)) {
      numbers.push(first);
    } else if (last >= first && last - first <= MAX_RANGE) {
      for (let n = first; n <= last; n++) numbers.push(n);
    } else {
      numbers.push(first, last);
    }
  }
  return numbers;
}

function unique(numbers: number[]): number[] {
  return [...new Set(numbers)];
}
