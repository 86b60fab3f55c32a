import { foldText, STOPWORDS, tokenize } from './tokenize.ts';

/** What spelling correction reads of the corpus. */
export interface SpellingVocabulary {
  /** Number of documents using a lowercase word as written (not stemmed); 0 when none does. */
  wordFrequency(word: string): number;
  /** Whether the lexical index holds a stemmed term. */
  isKnownTerm(term: string): boolean;
}

/** One word of a query replaced by a corpus word. */
export interface SpellingFix {
  /** The word as the query wrote it. */
  from: string;
  /** The corpus word that replaced it. */
  to: string;
}

/** A query with its misspelt words replaced, and what was replaced. */
export interface SpellingCorrection {
  text: string;
  /** Empty when nothing was corrected (then `text` is the query unchanged). */
  corrections: SpellingFix[];
}

/** Words shorter than this are never corrected ("fed" is not "feed", "chat" is not "that"). */
export const MIN_CORRECTED_LENGTH = 5;

/**
 * From this length on any one insertion, deletion, swap of two neighbours or s/z ("organise") is a
 * typo; shorter words (5-6 letters) only a doubled or undoubled letter ("nuget", "memmory").
 */
export const MIN_FREE_EDIT_LENGTH = 7;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Spellings one typo away from `word` (lowercase letters): with `doubledOnly`, a letter doubled
 * or undoubled; otherwise also any letter inserted or dropped, two neighbours swapped, s for z and
 * z for s. Substitutions are left out on purpose: they turn real words into other real words
 * ("decades" -> "decodes", "throughput" -> "throughout", "prevent" -> "present").
 */
export function typoVariants(word: string, doubledOnly: boolean): string[] {
  const variants = new Set<string>();
  for (let i = 0; i < word.length; i++) {
    if (!doubledOnly || word[i] === word[i - 1]) variants.add(word.slice(0, i) + word.slice(i + 1));
  }
  for (let i = 0; i <= word.length; i++) {
    const letters = doubledOnly ? [word[i - 1], word[i]].filter((letter) => letter !== undefined) : LETTERS;
    for (const letter of letters) variants.add(word.slice(0, i) + letter + word.slice(i));
  }
  if (!doubledOnly) {
    for (let i = 0; i + 1 < word.length; i++) {
      if (word[i] !== word[i + 1]) variants.add(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
    }
    for (let i = 0; i < word.length; i++) {
      if (word[i] === 's') variants.add(`${word.slice(0, i)}z${word.slice(i + 1)}`);
      if (word[i] === 'z') variants.add(`${word.slice(0, i)}s${word.slice(i + 1)}`);
    }
  }
  variants.delete(word);
  return [...variants];
}

/**
 * The corpus word a misspelt query word stands for, or undefined: only a word of at least
 * `MIN_CORRECTED_LENGTH` letters, not a stopword, whose stems the corpus never uses; among its
 * typo variants (`typoVariants`) that the corpus writes, the one most documents use.
 */
export function correctWord(word: string, vocabulary: SpellingVocabulary): string | undefined {
  const lower = foldText(word);
  if (!/^[a-z]+$/.test(lower) || lower.length < MIN_CORRECTED_LENGTH || STOPWORDS.has(lower))
    return undefined;
  const stems = tokenize(lower, false);
  if (stems.length === 0 || stems.some((stem) => vocabulary.isKnownTerm(stem))) return undefined;
  let best: { word: string; frequency: number } | undefined;
  for (const variant of typoVariants(lower, lower.length < MIN_FREE_EDIT_LENGTH)) {
    const frequency = vocabulary.wordFrequency(variant);
    if (frequency === 0) continue;
    if (!best || frequency > best.frequency || (frequency === best.frequency && variant < best.word)) {
      best = { word: variant, frequency };
    }
  }
  return best?.word;
}

/**
 * Replaces each misspelt word of a query by the corpus word it stands for (`correctWord`):
 * "bidirectonal" -> "bidirectional", "pipline" -> "pipeline", "organised" -> "organized". Words
 * the corpus knows, short words, numbers and words with digits stay as they are. A capitalised
 * word's replacement is capitalised.
 */
export function correctSpelling(text: string, vocabulary: SpellingVocabulary): SpellingCorrection {
  const corrections: SpellingFix[] = [];
  const corrected = text.replace(/[\p{L}\p{N}]+/gu, (word) => {
    if (/\p{N}/u.test(word)) return word;
    const replacement = correctWord(word, vocabulary);
    if (!replacement) return word;
    const written = /^\p{Lu}/u.test(word)
      ? replacement.charAt(0).toUpperCase() + replacement.slice(1)
      : replacement;
    corrections.push({ from: word, to: written });
    return written;
  });
  return corrections.length > 0 ? { text: corrected, corrections } : { text, corrections };
}

/** The lowercase words a document writes, as `SpellingVocabulary.wordFrequency` counts them. */
export function vocabularyWords(text: string): string[] {
  return [...new Set(foldText(text).match(/[a-z]{4,}/g) ?? [])];
}
