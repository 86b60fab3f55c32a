import { splitSentences } from '../corpus/sentences.ts';
import { tokenize } from '../retrieval/tokenize.ts';

/**
 * Share of a word's occurrences inside abstract sentences (never a sentence's first word, never a
 * title, which is title case) that must be capitalised for the corpus to write it as a name.
 */
const NAME_SHARE = 0.5;

/**
 * The stems the corpus writes as names: one-stem words that the abstracts capitalise in at least
 * half of their occurrences past a sentence's first word ("Mamba", "LLaMA", "BabelNet", "MTEB",
 * "Mandarin"). A question may write them in lower case ("does sortednet work on llama?"); the
 * corpus says they name something. Numbers are no names.
 */
export function corpusNames(abstracts: Iterable<string>): Set<string> {
  const capitalised = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const abstract of abstracts) {
    for (const sentence of splitSentences(abstract)) {
      let first = true;
      for (const match of sentence.matchAll(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu)) {
        const word = match[0];
        const wordStems = tokenize(word, false);
        if (!first && wordStems.length === 1 && !/^\d+$/.test(wordStems[0]!)) {
          const stem = wordStems[0]!;
          seen.set(stem, (seen.get(stem) ?? 0) + 1);
          if (/\p{Lu}/u.test(word)) capitalised.set(stem, (capitalised.get(stem) ?? 0) + 1);
        }
        first = false;
      }
    }
  }
  const names = new Set<string>();
  for (const [stem, count] of seen) {
    if ((capitalised.get(stem) ?? 0) >= NAME_SHARE * count) names.add(stem);
  }
  return names;
}
