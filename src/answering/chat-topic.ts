import { splitSentences } from '../corpus/sentences.ts';
import { STOPWORDS, tokenize } from '../retrieval/tokenize.ts';
import { termCoverage } from './support.ts';

/** Words that ask something but name no topic: question words, auxiliaries, pronouns, requests. */
const QUESTION_WORDS =
  `what what's whats which who whom whose how how's when where why is are was were be been do does did
  has have had can could would should will it it's its they they're their them this that these those i me my we our you u
  please tell explain describe give show say says said know paper papers one ones work study article`.split(
    /\s+/,
  );

/**
 * Words that only ask for the gist of a paper ("main takeaways", "key findings", "what did they
 * find", "tl;dr", "summary", "in a nutshell", "what's it about"): a question made of them and the
 * paper's name asks for a description of the paper.
 */
const GIST_WORDS = `main key takeaway takeaways finding findings find found contribution contributions
  tl dr tldr summary summarise summarize summarised summarized sum overview nutshell gist about idea ideas point points
  highlight highlights conclusion conclusions lesson lessons upshot essence brief briefly short quick quickly more detail
  details general basically mainly`.split(/\s+/);

/** Words of a follow-up that point at the previous answer ("the second one", "which of them"). */
const FOLLOW_UP_WORDS =
  `first second third fourth fifth sixth seventh eighth ninth tenth last 1st 2nd 3rd 4th 5th 6th
  7th 8th 9th 10th source sources result also and`.split(/\s+/);

const IGNORED = new Set([...QUESTION_WORDS, ...GIST_WORDS]);
const IGNORED_IN_FOLLOW_UPS = new Set([...IGNORED, ...FOLLOW_UP_WORDS]);

const WORD = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;

/**
 * What a question asks about a paper besides naming it: its words without `name` (the words that
 * named the paper), without question words and without the words that only ask for a summary,
 * trimmed of stopwords at both ends. "codegen2 main takeaways" → "" (describe the paper);
 * "codegen2 - what model sizes did they put out" → "model sizes put". With `followUp`, the
 * words pointing at the previous answer are dropped too ("tell me more about the second one" → "").
 */
export function askedAbout(question: string, name = '', followUp = false): string {
  const ignored = followUp ? IGNORED_IN_FOLLOW_UPS : IGNORED;
  const words = withoutRun(question.match(WORD) ?? [], (name.match(WORD) ?? []).map(lower)).filter(
    (word) => !ignored.has(lower(word)),
  );
  const isStopword = (word: string) => STOPWORDS.has(lower(word));
  while (words.length > 0 && isStopword(words[0]!)) words.shift();
  while (words.length > 0 && isStopword(words.at(-1)!)) words.pop();
  return words.join(' ');
}

/** Share of a topic's IDF-weighted terms a sentence must hold to be quoted as stating it. */
export const HOLDS_MOST = 0.6;

/** True when a topic holds a word that names something (not only stopwords). */
export function hasContent(topic: string): boolean {
  return tokenize(topic, false).length > 0;
}

/** The closest sentence of an abstract to a topic, and the topic's words the abstract never uses. */
export interface ClosestSentence {
  /** The abstract's sentence holding most of the topic's weight. */
  sentence: string;
  /** Its IDF-weighted share of the topic's terms (0-1). */
  share: number;
  /** The topic's words (as written) that the whole abstract never uses. */
  absent: string[];
  /** Number of the topic's words that name something (`absent.length` of them at most). */
  contentWords: number;
}

/** The sentence of an abstract holding most of the topic's IDF-weighted terms (undefined: no content). */
export function closestSentence(
  topic: string,
  abstract: string,
  weight: (term: string) => number,
): ClosestSentence | undefined {
  const terms = [...new Set(tokenize(topic, false))];
  if (terms.length === 0) return undefined;
  let best: { sentence: string; share: number } | undefined;
  for (const sentence of splitSentences(abstract)) {
    const share = termCoverage(terms, sentence, weight);
    if (!best || share > best.share) best = { sentence, share };
  }
  if (!best) return undefined;
  const used = new Set(tokenize(abstract, false));
  // The topic's words the abstract never uses, as the question wrote them.
  const content = (topic.match(WORD) ?? []).filter((word) => tokenize(word, false).length > 0);
  const absent = content.filter((word) => tokenize(word, false).every((stem) => !used.has(stem)));
  return { ...best, absent, contentWords: content.length };
}

function lower(word: string): string {
  return word.toLowerCase().replace(/’/g, "'");
}

/** `words` without the first run equal to `run` (compared lowercase). */
function withoutRun(words: string[], run: string[]): string[] {
  if (run.length === 0) return words;
  for (let start = 0; start + run.length <= words.length; start++) {
    if (run.every((word, offset) => lower(words[start + offset]!) === word))
      return [...words.slice(0, start), ...words.slice(start + run.length)];
  }
  return words;
}
