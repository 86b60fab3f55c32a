/** Result of checking the `[n]` markers of an answer against the retrieved sources. */
export interface CitationCheck {
  /** The text with every marker to an unknown source removed (valid ones in the same group kept). */
  text: string;
  /** Valid source numbers, in order of first use, without duplicates. */
  used: number[];
  /** Invalid numbers that were removed, in order of appearance, without duplicates. */
  removed: number[];
}

// `[1]`, `[1, 2]`, `[1;3]`, `[2-4]`, `[2–4]`; adjacent groups such as `[1][3]` match one by one.
const MARKER = /(\s*)\[(\s*\d+\s*(?:[-–]\s*\d+\s*)?(?:[,;]\s*\d+\s*(?:[-–]\s*\d+\s*)?)*)\]/g;
/** A range wider than this is not a citation list; its numbers are all treated as invalid. */
const MAX_RANGE = 20;

/**
 * Keeps only citations to sources 1..`sourceCount`. A marker whose numbers are all invalid is
 * removed with the space before it; a group mixing valid and invalid numbers keeps the valid ones.
 */
export function checkCitations(text: string, sourceCount: number): CitationCheck {
  const used: number[] = [];
  const removed: number[] = [];
  const isValid = (n: number) => Number.isInteger(n) && n >= 1 && n <= sourceCount;
  const cleaned = text.replace(MARKER, (match, space: string, group: string) => {
    const numbers = expand(group);
    const valid = unique(numbers.filter(isValid));
    for (const n of numbers) if (!isValid(n) && !removed.includes(n)) removed.push(n);
    for (const n of valid) if (!used.includes(n)) used.push(n);
    if (valid.length === numbers.length) return match;
    return valid.length === 0 ? '' : `${space}[${valid.join(', ')}]`;
  });
  // Removing `[7]` from `a [7] b` leaves one space; only tidy up when something was removed.
  const tidy = removed.length > 0 ? cleaned.replace(/(\S)[ \t]{2,}(?=\S)/g, '$1 ') : cleaned;
  return { text: tidy.trim(), used, removed };
}

function expand(group: string): number[] {
  const numbers: number[] = [];
  for (const part of group.split(/[,;]/)) {
    const [first, last] = part.split(/[-–]/).map((value) => Number.parseInt(value.trim(), 10));
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
