import type { Paper } from '../corpus/paper.ts';
import { splitSentences } from '../corpus/sentences.ts';
import { tokenize } from '../retrieval/tokenize.ts';
import type { SearchHit } from '../retrieval/types.ts';
import type { Answer, ConversationTurn } from './answerer.ts';
import type { CorpusCatalog } from './chat-corpus.ts';
import { citedAnswer } from './chat-paper.ts';
import { askedAbout, HOLDS_MOST } from './chat-topic.ts';
import { termCoverage } from './support.ts';

/**
 * Cues that a question leans on the previous answer. "it" or "they" alone are not enough (see
 * `isFollowUp`): "is it true that ..." is a question of its own.
 */
const FOLLOW_UP_CUE =
  /\b(?:which|what|how many|any|none|all|each|one|both) of (?:them|those|these|the above)\b|\b(?:among|from|in|between) (?:them|those|these)\b|\b(?:those|these|the above|the previous|the same|the other|the last|both|all three|the two|the three) (?:papers?|ones?|works?|studies|results|sources|approaches|methods|models|articles)\b|\b(?:this|that) (?:paper|one|work|study|article|source)\b|^(?:and|also|what about|how about)\b|\btell me more\b|\bmore (?:about|on|details)\b/i;
/** Pronouns that point back only in a short question ("does it use MTEB?"). */
const PRONOUN = /\b(?:it|its|they|them|their|those|these)\b/i;
/** "which of them ...": keep the previous papers that match the rest of the question. */
const FILTER_CUE =
  /\b(?:which|what|how many|any|none|all|one|both) of (?:them|those|these|the above)\b|\b(?:among|from) (?:them|those|these)\b|\b(?:which|what) (?:of )?(?:those|these) (?:papers?|ones?|works?|studies|approaches|methods|models)\b/i;
const ORDINALS: Record<string, number> = {
  first: 1,
  '1st': 1,
  second: 2,
  '2nd': 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
  fifth: 5,
  '5th': 5,
  sixth: 6,
  '6th': 6,
  seventh: 7,
  '7th': 7,
  eighth: 8,
  '8th': 8,
  ninth: 9,
  '9th': 9,
  tenth: 10,
  '10th': 10,
  last: -1,
};
const ORDINAL =
  /\bthe (first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|1st|2nd|3rd|[4-9]th|10th)(?: (?:one|paper|source|result|article|work|study|reference)\b|(?=\s*(?:[?.!,;]|$)))|\b(?:paper|source|result|reference|number|no\.?|#)\s*\[?(\d{1,2})\]?(?!\.\d)|\[(\d{1,2})\]/i;
/** True when the question leans on the previous answer. */
export function isFollowUp(question: string): boolean {
  if (FOLLOW_UP_CUE.test(question) || ORDINAL.test(question)) return true;
  // A pronoun points back only when little else names a topic: "does it use MTEB?".
  return PRONOUN.test(question) && tokenize(question, false).length <= 3;
}

/** The 1-based position a question points at ("the second one" → 2, "the last" → -1), if any. */
export function ordinalAsked(question: string): number | undefined {
  const match = question.match(ORDINAL);
  if (!match) return undefined;
  if (match[1]) return ORDINALS[match[1].toLowerCase()] ?? Number.parseInt(match[1], 10);
  return Number.parseInt(match[2] ?? match[3] ?? '', 10) || undefined;
}

/** True for "which of them ...": the previous papers filtered by the rest of the question. */
export function asksToFilter(question: string): boolean {
  return FILTER_CUE.test(question);
}

/**
 * The papers of the last assistant turn that listed any (a "thanks" in between lists none), in the
 * order it listed them: its `sources` when the adapter carried them, else its `[n] Title` lines
 * matched to the corpus (arXiv ids or titles).
 */
export function previousPapers(history: ConversationTurn[], catalog: CorpusCatalog | undefined): Paper[] {
  if (!catalog) return [];
  for (const turn of [...history].reverse()) {
    if (turn.role !== 'assistant') continue;
    const papers = papersOfTurn(turn, catalog);
    if (papers.length > 0) return papers;
  }
  return [];
}

function papersOfTurn(turn: ConversationTurn, catalog: CorpusCatalog): Paper[] {
  if (turn.sources) return turn.sources.flatMap((source) => catalog.get(source.paperId) ?? []);
  const numbered = new Map<number, Paper>();
  const titles = catalog.papers().map((paper) => ({ paper, title: normalize(paper.title) }));
  for (const line of turn.text.split('\n')) {
    const match = line.match(/^\s*\\?\[(\d{1,2})\\?\]\s*(.+)$/);
    if (!match) continue;
    const n = Number(match[1]);
    const rest = match[2]!;
    const id = rest.match(/\b(\d{4}\.\d{4,5})\b/)?.[1] ?? rest.match(/\((seed-\d+|[\w.-]+\/\d{7})\)/)?.[1];
    const byId = id ? catalog.get(id) : undefined;
    const text = normalize(rest);
    const byTitle = titles
      .filter((entry) => entry.title.length > 0 && text.includes(entry.title))
      .sort((left, right) => right.title.length - left.title.length)[0]?.paper;
    const paper = byId ?? byTitle;
    if (paper && !numbered.has(n)) numbered.set(n, paper);
  }
  return [...numbered].sort((left, right) => left[0] - right[0]).map(([, paper]) => paper);
}

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A hit for a paper picked by the conversation rather than by retrieval. */
export function hitFor(paper: Paper, score = 1): SearchHit {
  return { paper, score };
}

/**
 * "Which of them evaluate on MTEB?": the previous papers with a sentence (or title) holding at
 * least `HOLDS_MOST` (60%) of the topic's IDF-weighted terms, each quoted with that sentence; or a
 * plain "none of them" (declined) naming the topic.
 */
export function filterPrevious(
  question: string,
  papers: Paper[],
  weight: (term: string) => number,
): Answer | undefined {
  const topic = askedAbout(question, '', true);
  const terms = [...new Set(tokenize(topic, false))];
  if (terms.length === 0) return undefined;
  const matches: { paper: Paper; sentence: string }[] = [];
  for (const paper of papers) {
    let best: { sentence: string; share: number } | undefined;
    for (const sentence of [paper.title, ...splitSentences(paper.abstract)]) {
      const share = termCoverage(terms, sentence, weight);
      if (!best || share > best.share) best = { sentence, share };
    }
    if (best && best.share >= HOLDS_MOST) matches.push({ paper, sentence: best.sentence });
  }
  const count = papers.length === 1 ? 'the paper' : `the ${papers.length} papers`;
  if (matches.length === 0) {
    const none =
      papers.length === 1
        ? 'The paper of my previous answer does not'
        : `None of ${count} of my previous answer`;
    return citedAnswer(
      `${none} mention "${topic}" in ${papers.length === 1 ? 'its abstract' : 'their abstracts'}.`,
      [],
      true,
    );
  }
  const lines = matches.map(
    (match, index) => `- ${match.paper.title.replace(/\s+/g, ' ').trim()}: ${match.sentence} [${index + 1}]`,
  );
  return citedAnswer(
    `Of ${count} of my previous answer, ${matches.length === 1 ? 'this one matches' : `these ${matches.length} match`} "${topic}":\n${lines.join('\n')}`,
    matches.map((match) => hitFor(match.paper)),
    false,
  );
}
