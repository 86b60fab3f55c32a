import type { SpellingFix } from '../retrieval/spelling.ts';
import { tokenize } from '../retrieval/tokenize.ts';
import type { Retriever, SearchHit } from '../retrieval/types.ts';
import type { Answer, Answerer, ConversationTurn } from './answerer.ts';
import { type CorpusCatalog, corpusTopics, type NamedPaper, PaperNames } from './chat-corpus.ts';
import {
  asksToFilter,
  filterPrevious,
  hitFor,
  isFollowUp,
  ordinalAsked,
  previousPapers,
} from './chat-follow-up.ts';
import { chatIntent, chatReply, withoutGreeting } from './chat-intent.ts';
import {
  answerDetail,
  answerFromAbstract,
  chatAnswer,
  citedAnswer,
  describePaper,
  detailQuestion,
} from './chat-paper.ts';
import { askedAbout, hasContent } from './chat-topic.ts';

export interface ChatRouterOptions {
  retriever: Retriever;
  answerer: Answerer;
  /** The corpus (titles, vocabulary); without it, named papers and follow-ups by source are off. */
  catalog?: CorpusCatalog;
  /** Number of searchable papers, for the help text. */
  paperCount: () => number;
  /** Papers retrieved per question. */
  depth: number;
  /** Longest text sent to retrieval. */
  maxQueryLength: number;
}

/**
 * Decides what a message is before anything is retrieved: conversation (help, greeting, thanks,
 * questions about the chat, another language) gets a reply without papers; a follow-up is
 * resolved against the previous answer's papers ("the second one", "which of them ..."); a
 * question naming a paper is about that paper; everything else goes to retrieval and the answerer.
 */
export function createChatRouter(options: ChatRouterOptions) {
  const { retriever, answerer, catalog, depth, maxQueryLength } = options;
  const names = catalog ? new PaperNames(catalog) : undefined;
  let topics: { size: number; list: string[] } | undefined;
  const weight = (term: string) => catalog?.idf(term) ?? 1;

  function corpusSummary() {
    if (catalog && topics?.size !== catalog.size)
      topics = { size: catalog.size, list: corpusTopics(catalog.papers()) };
    return { paperCount: options.paperCount(), topics: topics?.list ?? [] };
  }

  async function search(query: string, signal?: AbortSignal): Promise<SearchHit[]> {
    return retriever.search(query.slice(0, maxQueryLength), { k: depth, signal });
  }

  /**
   * A question about one paper: a detail its abstract may not state, a request for its gist, or
   * anything else about it (the answerer's cited answer, else what its abstract says of it).
   */
  async function aboutPaper(
    question: string,
    named: NamedPaper | { paper: NamedPaper['paper']; via: 'follow-up' },
    history: ConversationTurn[],
    signal?: AbortSignal,
  ): Promise<Answer> {
    const paper = named.paper;
    const corrected = named.via === 'typo' ? question.replace(named.matched, named.name) : question;
    const note = named.via === 'typo' ? didYouMean(named.name) : '';
    const retrieved = await search(corrected, signal);
    const own = retrieved.find((hit) => hit.paper.id === paper.id) ?? hitFor(paper, retrieved[0]?.score ?? 1);
    // A paper named in the question is retrieved first; a follow-up about one paper keeps only it.
    const hits =
      named.via === 'follow-up'
        ? [own]
        : [own, ...retrieved.filter((hit) => hit.paper.id !== paper.id)].slice(0, depth);
    const detail = detailQuestion(question);
    const detailReply = detail && answerDetail(paper, own, detail);
    // A detail the abstract does not state (as far as the detail rules read it) ends a question that
    // asks only it; one asking more ("how does it embed tokens, and which datasets …?") is answered
    // like any other question, by the score and the answerer, and declined as before if they decline.
    if (detailReply && !(detailReply.declined && asksMore(question, paper)))
      return withNote(note, detailReply);
    // What is asked besides the paper's name; nothing but "main takeaways", "tl;dr" ...: describe it.
    const topic =
      named.via === 'follow-up'
        ? askedAbout(question, '', true)
        : askedAbout(corrected, named.via === 'typo' ? named.name : named.matched);
    if (!hasContent(topic)) return describePaper(own, note);
    const answer = await answerer.answer({ question: corrected, history, hits, signal });
    if (!answer.declined && answer.citations.some((citation) => citation.paperId === paper.id))
      return withNote(note, answer);
    if (detailReply) return withNote(note, detailReply);
    return withNote(note, answerFromAbstract(own, topic, weight));
  }

  async function routeFollowUp(
    question: string,
    history: ConversationTurn[],
    signal?: AbortSignal,
  ): Promise<Answer | SearchHit[] | undefined> {
    const papers = previousPapers(history, catalog);
    const position = ordinalAsked(question);
    if (position !== undefined && papers.length > 0) {
      const paper = position === -1 ? papers.at(-1) : papers[position - 1];
      if (!paper) {
        return chatAnswer(
          `My previous answer listed ${papers.length} paper${papers.length === 1 ? '' : 's'}; there is no number ${position}.`,
        );
      }
      return aboutPaper(question, { paper, via: 'follow-up' }, history, signal);
    }
    if (papers.length > 0 && asksToFilter(question)) {
      const filtered = filterPrevious(question, papers, weight);
      if (filtered) return filtered;
    }
    if (papers.length === 1 && /\b(it|its|this paper|that paper|this one|that one)\b/i.test(question))
      return aboutPaper(question, { paper: papers[0]!, via: 'follow-up' }, history, signal);
    // Otherwise the previous papers that match the new question, else both questions together.
    if (papers.length > 0) {
      const ids = new Set(papers.map((paper) => paper.id));
      const narrowed = (await retriever.search(question, { k: 50, signal })).filter((hit) =>
        ids.has(hit.paper.id),
      );
      if (narrowed.length > 0) return narrowed;
    }
    const lastUser = [...history].reverse().find((turn) => turn.role === 'user');
    return lastUser ? search(`${question} ${lastUser.text}`, signal) : undefined;
  }

  return {
    /**
     * Answers one message of a conversation. `history` holds the earlier turns, oldest first: all
     * of them answer "what did I ask first?", the last 10 are passed on to the answerer.
     */
    async answer(
      rawQuestion: string,
      fullHistory: ConversationTurn[],
      signal?: AbortSignal,
    ): Promise<Answer> {
      const greeted = withoutGreeting(rawQuestion);
      const intent = chatIntent(greeted);
      if (intent) return chatAnswer(chatReply(intent, greeted, fullHistory, corpusSummary()));
      // An arXiv link or id of a corpus paper reads as its title, before spelling can touch the link.
      const linked = names?.readArxivReferences(greeted) ?? { text: greeted, absent: [] };
      // Misspelt words ("pipline") are read as the corpus words they stand for, on every path below.
      const spelling = catalog?.correctSpelling?.(linked.text);
      const question = spelling?.text ?? linked.text;
      const fixes = spelling?.corrections ?? [];
      const history = fullHistory.slice(-10);
      let hits: SearchHit[] | undefined;
      if (history.some((turn) => turn.role === 'assistant') && isFollowUp(question)) {
        const routed = await routeFollowUp(question, history, signal);
        if (routed && !Array.isArray(routed)) return withNote(readNote(fixes), routed);
        hits = routed;
      }
      if (!hits) {
        const named = names?.find(question);
        if (named) {
          // A word corrected into a paper's short name was a typo of it: "Did you mean "Nugget"?".
          const nameWords = new Set(named.name.toLowerCase().split(/\s+/));
          const intoName =
            named.via === 'name' ? fixes.filter((fix) => nameWords.has(fix.to.toLowerCase())) : [];
          const note = intoName.length > 0 ? didYouMean(named.name) : '';
          const answer = await aboutPaper(question, named, history, signal);
          return withNote(`${readNote(fixes.filter((fix) => !intoName.includes(fix)))}${note}`, answer);
        }
        // A paper pointed at by its arXiv link that the corpus does not hold: no abstract to answer from.
        const absent = linked.absent[0];
        if (absent) return notInCorpus(absent, options.paperCount());
        hits = await search(question, signal);
      }
      const answer = await answerer.answer({ question, history, hits, signal });
      return withNote(readNote(fixes), answer);
    },
  };
}

/** The decline for a question about an arXiv paper the corpus does not hold. */
function notInCorpus(arxivId: string, paperCount: number): Answer {
  return citedAnswer(
    `arXiv ${arxivId} is not among the ${paperCount} papers of the corpus, so I have no abstract of it to answer from. Ask about its topic in words to find the closest papers I have.`,
    [],
    true,
  );
}

/** `(Read "pipline" as "pipeline".) `, or nothing without corrections. */
export function readNote(fixes: readonly SpellingFix[]): string {
  if (fixes.length === 0) return '';
  return `(Read ${fixes.map((fix) => `"${fix.from}" as "${fix.to}"`).join(', ')}.) `;
}

function didYouMean(name: string): string {
  return `Did you mean "${name}"? `;
}

/**
 * Whether a question asks more than one thing ("How does X embed tokens, and which datasets did
 * they use?"): two parts joined by "and" before a question word, or two sentences, each holding
 * two content words besides the paper's title.
 */
function asksMore(question: string, paper: { title: string }): boolean {
  const title = new Set(tokenize(paper.title, false));
  const parts = question
    .split(
      /\?\s+|[,;]?\s+and\s+(?=(?:what|which|how|why|where|when|who|does|do|did|is|are|was|were|can|could|has|have)\b)/i,
    )
    .filter((part) => tokenize(part, false).filter((term) => !title.has(term)).length >= 2);
  return parts.length >= 2;
}

function withNote(note: string, answer: Answer): Answer {
  return note ? { ...answer, answer: `${note}${answer.answer}` } : answer;
}
