import { arxivIdOf, type Paper } from '../corpus/paper.ts';
import { MIN_CORRECTED_LENGTH, type SpellingCorrection } from '../retrieval/spelling.ts';
import { tokenize } from '../retrieval/tokenize.ts';

/** What the chat layer reads of the corpus (the `PaperIndex` provides it). */
export interface CorpusCatalog {
  /** Every searchable paper. */
  papers(): Paper[];
  get(id: string): Paper | undefined;
  /** Number of papers using a stemmed term (0: the corpus never uses it). */
  documentFrequency(term: string): number;
  /** IDF of a stemmed term in the corpus. */
  idf(term: string): number;
  /** Number of searchable papers. */
  readonly size: number;
  /** The model that embedded the index (its id picks calibrated relevance parameters). */
  readonly embeddings: { readonly modelId: string };
  /** The question with its misspelt words replaced by corpus words (`src/retrieval/spelling.ts`). */
  correctSpelling?(question: string): SpellingCorrection;
}

/** A paper a question names, and how it was recognised. */
export interface NamedPaper {
  paper: Paper;
  /** The paper's name as the corpus writes it ("Nugget", "Layer by Layer", or the full title). */
  name: string;
  /** The words of the question that named it. */
  matched: string;
  /** `typo`: a word unknown to the corpus within one or two edits of the name ("nuget"). */
  via: 'title' | 'name' | 'typo';
}

interface Entry {
  paper: Paper;
  name: string;
  /** Lowercase words of the name. */
  words: string[];
  /** Matching needs the title's own capitals ("Layer by Layer", "RECALL"): its words are common. */
  caseSensitive: boolean;
}

const WORD = /[\p{L}\p{N}]+(?:[-'^][\p{L}\p{N}]+)*/gu;

function wordsOf(text: string): string[] {
  return (text.match(WORD) ?? []).map((word) => word.toLowerCase());
}

/**
 * An arXiv reference in a message: a link to arxiv.org (`abs`, `pdf` or `html`, any version), an
 * `arXiv:<id>`, or a bare new-style id. Group 1 or 2 holds an explicit reference's id, group 3 a
 * bare id (which may also be any other number of that shape).
 */
const ARXIV_REFERENCE =
  /(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?\/?|\barxiv:\s?(\d{4}\.\d{4,5})(?:v\d+)?|(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d.])/giu;

/** A message with its arXiv references to corpus papers written as the papers' titles. */
export interface ArxivReading {
  text: string;
  /** Ids referenced by a link or `arXiv:` that no paper of the corpus has, in order. */
  absent: string[];
}

/**
 * Finds papers named in a question: by full title, by the short name before a title's colon
 * ("Nugget", "Layer by Layer", "EmbedLLM"), or by a word the corpus never uses that is one or two
 * edits from a one-word name ("nuget" → Nugget). A name made only of words common in the corpus
 * ("Layer by Layer", "Ask Me Anything") must be written with its capitals, so "what did I ask
 * first?" names nothing. Built from the catalog; call `refresh` when the corpus changes.
 */
export class PaperNames {
  private entries: Entry[] = [];
  /** Title of each corpus paper by its arXiv id. */
  private titlesByArxivId = new Map<string, string>();
  private builtFor = -1;

  constructor(private readonly catalog: CorpusCatalog) {}

  /** Rebuilds the name list when the number of papers changed since the last build. */
  refresh(): void {
    if (this.builtFor === this.catalog.size) return;
    this.builtFor = this.catalog.size;
    const entries: Entry[] = [];
    const titlesByArxivId = new Map<string, string>();
    for (const paper of this.catalog.papers()) {
      const title = paper.title.replace(/\s+/g, ' ').trim();
      const arxivId = arxivIdOf(paper);
      if (arxivId) titlesByArxivId.set(arxivId, title);
      const short =
        title.match(/^(.{2,60}?)\s*(?::| - | — )\s*\S/)?.[1] ?? title.match(/^([^\s,]{3,30}),\s/)?.[1];
      const names = [title];
      if (short && wordsOf(short).length <= 5) names.push(short);
      for (const name of names) {
        const words = wordsOf(name);
        if (words.length === 0) continue;
        entries.push({ paper, name, words, caseSensitive: words.length <= 4 && this.isCommon(words) });
      }
    }
    // Longest names first: "Dynamic Word Embeddings for Evolving Semantic Discovery" before "Dynamic Word Embeddings".
    this.entries = entries.sort((left, right) => right.words.length - left.words.length);
    this.titlesByArxivId = titlesByArxivId;
  }

  /**
   * Reads the arXiv references of a message: each one to a paper of the corpus becomes that
   * paper's title, so everything after (named papers, retrieval, the answerer) reads it as if the
   * title had been written; a link or `arXiv:` id the corpus does not hold is reported as absent,
   * and a bare number of that shape that is no corpus paper's id is left alone.
   */
  readArxivReferences(message: string): ArxivReading {
    if (!/\d{4}\.\d{4}/.test(message)) return { text: message, absent: [] };
    this.refresh();
    const absent: string[] = [];
    const text = message.replace(
      ARXIV_REFERENCE,
      (whole, linked?: string, prefixed?: string, bare?: string) => {
        const id = linked ?? prefixed ?? bare ?? '';
        const title = this.titlesByArxivId.get(id);
        if (title) return title;
        if (!bare && !absent.includes(id)) absent.push(id);
        return whole;
      },
    );
    return { text, absent };
  }

  /** The paper the question names, if any (the longest name wins). */
  find(question: string): NamedPaper | undefined {
    this.refresh();
    const lowerWords = wordsOf(question);
    const rawWords = question.match(WORD) ?? [];
    for (const entry of this.entries) {
      const at = indexOfRun(lowerWords, entry.words);
      if (at < 0) continue;
      const matched = rawWords.slice(at, at + entry.words.length).join(' ');
      if (entry.caseSensitive && !sameCapitals(matched, entry.name)) continue;
      const via = entry.name === entry.paper.title.replace(/\s+/g, ' ').trim() ? 'title' : 'name';
      return { paper: entry.paper, name: entry.name, matched, via };
    }
    return this.findTypo(rawWords);
  }

  private findTypo(rawWords: string[]): NamedPaper | undefined {
    const oneWord = this.entries.filter((entry) => entry.words.length === 1 && !entry.caseSensitive);
    let best: { entry: Entry; word: string; distance: number } | undefined;
    for (const word of rawWords) {
      const lower = word.toLowerCase();
      // As for spelling ("wich" is no typo of "WiC"): a word too short to correct names nothing.
      if (lower.length < MIN_CORRECTED_LENGTH || this.known(lower)) continue;
      for (const entry of oneWord) {
        const target = entry.words[0]!;
        const allowed = target.length >= 8 ? 2 : 1;
        if (Math.abs(target.length - lower.length) > allowed) continue;
        const distance = editDistance(lower, target);
        if (distance <= allowed && (!best || distance < best.distance)) best = { entry, word, distance };
      }
    }
    return best && { paper: best.entry.paper, name: best.entry.name, matched: best.word, via: 'typo' };
  }

  /** True when the corpus uses the word (a correctly spelled word is never taken for a typo). */
  private known(word: string): boolean {
    const stems = tokenize(word, false);
    return stems.length === 0 || stems.some((stem) => this.catalog.documentFrequency(stem) > 0);
  }

  /** A name is common when every word is a stopword or used by more than two papers. */
  private isCommon(words: string[]): boolean {
    return words.every((word) => {
      const stems = tokenize(word, false);
      return stems.every((stem) => this.catalog.documentFrequency(stem) > 2);
    });
  }
}

/**
 * The question's word stands for the name's word at `index` of a name of `length` words: the same,
 * or for the last word of a longer name, its singular or plural ("the Large Concept Model").
 */
function sameWord(written: string, named: string, index: number, length: number): boolean {
  if (written === named) return true;
  if (length < 2 || index !== length - 1) return false;
  return (named.length > 3 && written === `${named}s`) || (written.length > 3 && `${written}s` === named);
}

function indexOfRun(words: string[], run: string[]): number {
  outer: for (let start = 0; start + run.length <= words.length; start++) {
    for (let offset = 0; offset < run.length; offset++)
      if (!sameWord(words[start + offset] ?? '', run[offset]!, offset, run.length)) continue outer;
    return start;
  }
  return -1;
}

/** The question writes the name's capitalised words with capitals ("Layer by Layer", "RECALL"). */
function sameCapitals(written: string, name: string): boolean {
  const writtenWords = written.match(WORD) ?? [];
  const nameWords = name.match(WORD) ?? [];
  return nameWords.every((word, index) => {
    const other = writtenWords[index] ?? '';
    return word === word.toLowerCase() || sameWord(other, word, index, nameWords.length);
  });
}

/** Damerau-Levenshtein distance (adjacent swaps count one), for short words. */
export function editDistance(left: string, right: string): number {
  const rows = left.length + 1;
  const columns = right.length + 1;
  const table: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: columns }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      let value = Math.min(table[i - 1]![j]! + 1, table[i]![j - 1]! + 1, table[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1])
        value = Math.min(value, table[i - 2]![j - 2]! + 1);
      table[i]![j] = value;
    }
  }
  return table[left.length]![right.length]!;
}

/**
 * The most frequent topics of the corpus titles, for the help text: word pairs used by at least
 * three titles ("language models", "word embeddings"), then single words used by most titles.
 */
export function corpusTopics(papers: readonly Paper[], count = 5): string[] {
  const pairs = new Map<string, Set<string>>();
  const singles = new Map<string, Set<string>>();
  const forms = new Map<string, Map<string, number>>();
  const add = (table: Map<string, Set<string>>, words: string[], id: string) => {
    const key = words.map((word) => tokenize(word, false)[0]).join(' ');
    const written = forms.get(key) ?? new Map<string, number>();
    written.set(words.join(' '), (written.get(words.join(' ')) ?? 0) + 1);
    forms.set(key, written);
    table.set(key, (table.get(key) ?? new Set()).add(id));
  };
  for (const paper of papers) {
    const words = (paper.title.match(/\p{L}+/gu) ?? []).map((word) => word.toLowerCase());
    words.forEach((word, index) => {
      if (!isTopicWord(word)) return;
      add(singles, [word], paper.id);
      const next = words[index + 1];
      if (next && isTopicWord(next)) add(pairs, [word, next], paper.id);
    });
  }
  const ranked = (table: Map<string, Set<string>>, least: number) =>
    [...table]
      .filter(([, ids]) => ids.size >= least)
      .sort((left, right) => right[1].size - left[1].size || left[0].localeCompare(right[0]))
      .map(([key]) => key);
  const chosen = ranked(pairs, 3).slice(0, count);
  for (const stem of ranked(singles, 3)) {
    if (chosen.length >= count) break;
    if (!chosen.some((key) => key.split(' ').includes(stem))) chosen.push(stem);
  }
  // Each topic as the titles most often write it ("language models", not "language model").
  const topics = chosen.map((key) => [...(forms.get(key) ?? [])].sort((a, b) => b[1] - a[1])[0]?.[0] ?? key);
  return topics;
}

function isTopicWord(word: string): boolean {
  return word.length >= 4 && tokenize(word, false).length > 0 && !GENERIC_TITLE_WORDS.has(word);
}

/** Title words that name no topic. */
const GENERIC_TITLE_WORDS = new Set(
  'towards learning approach study analysis understanding exploring beyond large via using based new novel case studies dynamic'.split(
    ' ',
  ),
);
