import type { Paper } from '../corpus/paper.ts';
import { tokenize } from '../retrieval/tokenize.ts';

/**
 * Synthetic compositional questions for training the answerability score. Questions nobody tuned
 * for often join two things the corpus does have into one it does not ("does the binding ID
 * mechanism also appear in state space models?"): every word is known, the top paper is right
 * about half of it, and the topic-level signals call it answerable. These questions teach the
 * score the difference: each asks about a phrase only one paper uses together with a phrase
 * several papers use, worded by the same templates for both labels, so only one thing tells them
 * apart: whether any single paper holds both phrases.
 */
export interface CompositionalQuestion {
  id: string;
  text: string;
  /** 1: one paper holds both phrases (the paper it was made from); 0: no paper holds both. */
  label: 0 | 1;
  /** The paper whose own phrase the question asks about. */
  paperId: string;
  /** The two phrases asked about, as stem pairs ("bind id", "state space"). */
  phrases: [string, string];
}

/** Templates, used in turn, the same for answerable and unanswerable questions. */
const TEMPLATES = [
  (own: string, shared: string) => `Does the ${own} also appear in ${shared}?`,
  (own: string, shared: string) => `Has ${own} been applied to ${shared}?`,
  (own: string, shared: string) => `Which paper uses ${own} for ${shared}?`,
  (own: string, shared: string) => `Is there work on ${own} in ${shared}?`,
];

/** Most papers a "shared" phrase may be in: more is a generic phrase ("language models"). */
const SHARED_MAX_PAPERS = 8;

interface Phrase {
  /** Stems of the two words, space-joined: how the features compare word pairs. */
  key: string;
  /** The words as the abstract writes them. */
  text: string;
}

/** Consecutive content-word pairs of a text (stems of words, after stopwords are dropped). */
function stemPairs(text: string): Set<string> {
  const stems = tokenize(text, false);
  const pairs = new Set<string>();
  for (let index = 1; index < stems.length; index++) pairs.add(`${stems[index - 1]} ${stems[index]}`);
  return pairs;
}

/** Two adjacent words of the text, both content words of 4+ letters, with their stem pair. */
function surfacePhrases(text: string): Phrase[] {
  const words = text.match(/[A-Za-z][A-Za-z-]*[A-Za-z]|[A-Za-z]/g) ?? [];
  const phrases: Phrase[] = [];
  for (let index = 1; index < words.length; index++) {
    const pair = [words[index - 1]!, words[index]!];
    if (pair.some((word) => word.length < 4)) continue;
    const stems = pair.map((word) => tokenize(word, false));
    if (stems.some((stem) => stem.length !== 1)) continue;
    phrases.push({ key: `${stems[0]![0]} ${stems[1]![0]}`, text: pair.join(' ').toLowerCase() });
  }
  return phrases;
}

/**
 * Up to one answerable and one unanswerable compositional question per paper, deterministic for a
 * corpus (papers in id order, choices by position, no randomness).
 */
export function compositionalQuestions(papers: Paper[]): CompositionalQuestion[] {
  const sorted = [...papers].sort((left, right) => left.id.localeCompare(right.id));
  const pairsOf = new Map(sorted.map((paper) => [paper.id, stemPairs(`${paper.title} ${paper.abstract}`)]));
  const frequency = new Map<string, number>();
  for (const pairs of pairsOf.values()) {
    for (const pair of pairs) frequency.set(pair, (frequency.get(pair) ?? 0) + 1);
  }
  // Phrases several papers use and some title names (concepts, not "future directions"), in a
  // fixed order, worded as that title words them.
  const sharedText = new Map<string, string>();
  for (const paper of sorted) {
    for (const phrase of surfacePhrases(paper.title)) {
      const count = frequency.get(phrase.key) ?? 0;
      if (count >= 2 && count <= SHARED_MAX_PAPERS && !sharedText.has(phrase.key))
        sharedText.set(phrase.key, phrase.text);
    }
  }
  const shared = [...sharedText.entries()].map(([key, text]) => ({ key, text }));
  const questions: CompositionalQuestion[] = [];
  sorted.forEach((paper, position) => {
    const pairs = pairsOf.get(paper.id)!;
    const own = ownPhrase(paper, frequency);
    if (!own) return;
    const template = TEMPLATES[position % TEMPLATES.length]!;
    const holdsBoth = (key: string) => [...pairsOf.values()].some((p) => p.has(key) && p.has(own.key));
    // Answerable: a shared phrase this paper uses too.
    const mine = shared.filter((phrase) => pairs.has(phrase.key));
    const with_ = mine[position % Math.max(1, mine.length)];
    if (with_) {
      questions.push({
        id: `comp-${paper.id}-yes`,
        text: template(own.text, with_.text),
        label: 1,
        paperId: paper.id,
        phrases: [own.key, with_.key],
      });
    }
    // Unanswerable: a shared phrase no paper uses together with this paper's phrase.
    for (let step = 0; step < shared.length; step++) {
      const other = shared[(position * 7 + step) % shared.length]!;
      if (pairs.has(other.key) || holdsBoth(other.key)) continue;
      questions.push({
        id: `comp-${paper.id}-no`,
        text: template(own.text, other.text),
        label: 0,
        paperId: paper.id,
        phrases: [own.key, other.key],
      });
      break;
    }
  });
  return questions;
}

/**
 * The phrase only this paper uses that its title names, else the one its abstract repeats most
 * (at least twice); none when neither exists.
 */
function ownPhrase(paper: Paper, frequency: Map<string, number>): Phrase | undefined {
  const only = (phrase: Phrase) => frequency.get(phrase.key) === 1;
  const inTitle = surfacePhrases(paper.title).filter(only);
  if (inTitle.length > 0) return inTitle[0];
  const phrases = surfacePhrases(paper.abstract).filter(only);
  const uses = new Map<string, number>();
  for (const phrase of phrases) uses.set(phrase.key, (uses.get(phrase.key) ?? 0) + 1);
  let best: Phrase | undefined;
  for (const phrase of phrases) {
    if (uses.get(phrase.key)! >= 2 && (!best || uses.get(phrase.key)! > uses.get(best.key)!)) best = phrase;
  }
  return best;
}
