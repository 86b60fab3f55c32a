import type { ConversationTurn } from './answerer.ts';

/** A message that is conversation, not a question for the corpus. */
export type ChatIntent = 'help' | 'greeting' | 'thanks' | 'goodbye' | 'conversation' | 'not-english';

const END = String.raw`[\s!?.,:;)(]*$`;
const BOT = String.raw`(?:\s+(?:paperbot|bot|there|again|everyone|all))?`;

/** Whole messages that ask for help: "help", "what can you do?", "how do I use this?". */
const HELP = new RegExp(
  String.raw`^(?:/?help|\?+|usage|commands|help me|can you help(?: me)?|(?:please )?help(?: me)?(?: please)?|what (?:can|do|should) (?:you|i) (?:do|ask|know)(?: about)?(?: here| with you| for me)?|what (?:are|is) (?:you|this|paperbot)|who are you|what do you cover|how (?:do|can|should) i use (?:you|this|paperbot)|how (?:does|do) (?:this|you|paperbot) work|what (?:papers|topics) (?:do you (?:have|know|cover)|are (?:there|covered))|what is in (?:the|your) corpus|getting started)${BOT}${END}`,
  'i',
);
const GREETING = new RegExp(
  `^(?:hi|hello|hey|hiya|howdy|yo|greetings|hallo|good (?:morning|afternoon|evening|day)|hey there|hello there)${BOT}${END}`,
  'i',
);
const THANKS = new RegExp(
  String.raw`^(?:(?:ok(?:ay)?|great|cool|nice|perfect|awesome|got it|i see)[\s,!.]*)?(?:thanks|thank you|thx|ty|cheers|much appreciated|great|cool|nice|perfect|awesome|got it|ok(?:ay)?)(?: (?:so much|a lot|very much|again))?${BOT}${END}`,
  'i',
);
const GOODBYE = new RegExp(`^(?:bye|goodbye|see you(?: later)?|good night|that's all)${BOT}${END}`, 'i');
/** Questions about the conversation itself: "what did I ask first?", "what was my last question?". */
const CONVERSATION =
  /^(?:and |so )?(?:what (?:did|have) i (?:just |first |last )?(?:ask|asked|say|said|write|wrote)|what was my (?:first|last|previous|earlier|original) (?:question|message)|what (?:did|have) you (?:just )?(?:say|said|answer|answered|tell|told)(?: me)?|what (?:have|did) we (?:talk|talked|discuss|discussed|chat|chatted)|repeat my (?:first |last )?question|summari[sz]e (?:our|this) (?:conversation|chat))\b/i;

const LEADING_GREETING =
  /^(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening|day))(?:\s+(?:paperbot|bot|there|all))?\s*[,!.:;-]+\s*(?=\S)/i;

/** The question without a greeting in front ("Hi, which papers ..." → "which papers ..."). */
export function withoutGreeting(question: string): string {
  return question.replace(LEADING_GREETING, '');
}

/** Recognises conversation (help, greetings, thanks, questions about the chat). Conservative: only whole messages. */
export function chatIntent(question: string): ChatIntent | undefined {
  const text = question.trim();
  if (HELP.test(text)) return 'help';
  if (GREETING.test(text)) return 'greeting';
  if (THANKS.test(text)) return 'thanks';
  if (GOODBYE.test(text)) return 'goodbye';
  if (CONVERSATION.test(text)) return 'conversation';
  if (!looksEnglish(text)) return 'not-english';
  return undefined;
}

/** What the help reply says about the corpus. */
export interface CorpusSummary {
  paperCount: number;
  /** Most frequent title words of the corpus, e.g. `["language models", "embeddings"]`. */
  topics: string[];
}

/** The help text: what the bot covers, how to ask, that it answers from abstracts only and cites them. */
export function helpText(corpus: CorpusSummary): string {
  const topics = corpus.topics.length > 0 ? `, mostly about ${corpus.topics.join(', ')}` : '';
  return [
    `I answer questions about the ${corpus.paperCount} research papers in my corpus${topics}.`,
    'Ask in plain English, e.g. "Which papers argue that intermediate layers give better representations than the last layer?", or name a paper ("What is <paper name> about?").',
    "I answer from the papers' abstracts only and cite them as [n]; when no abstract supports an answer, I say so instead of guessing.",
    'Follow-ups can point at my last answer: "tell me more about the second one", "which of them use state-space models?".',
  ].join('\n');
}

/** The reply to a conversational message; `history` answers questions about the conversation. */
export function chatReply(
  intent: ChatIntent,
  question: string,
  history: ConversationTurn[],
  corpus: CorpusSummary,
): string {
  switch (intent) {
    case 'help':
      return helpText(corpus);
    case 'greeting':
      return `Hello! ${helpText(corpus)}`;
    case 'thanks':
      return "You're welcome. Ask me anything else about the papers whenever you like.";
    case 'goodbye':
      return 'Goodbye! Ask again whenever you need a paper.';
    case 'not-english':
      return 'I can only answer questions in English: the abstracts of my papers are in English. Please ask again in English.';
    case 'conversation':
      return conversationReply(question, history);
  }
}

function quote(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `"${line.length > max ? `${line.slice(0, max - 1)}…` : line}"`;
}

function conversationReply(question: string, history: ConversationTurn[]): string {
  const asked = history.filter((turn) => turn.role === 'user').map((turn) => turn.text);
  const said = history.filter((turn) => turn.role === 'assistant').map((turn) => turn.text);
  const lower = question.toLowerCase();
  if (/\byou\b/.test(lower) && !/\bwe\b/.test(lower)) {
    const last = said.at(-1);
    return last
      ? `My last answer began: ${quote(last.split('\n')[0] ?? last)}`
      : 'I have not answered anything yet in this conversation.';
  }
  if (asked.length === 0) return 'This is the start of our conversation: you have not asked anything before.';
  if (/\b(first|original)\b/.test(lower)) return `Your first question was ${quote(asked[0]!)}.`;
  if (/\b(last|previous|just|earlier)\b/.test(lower))
    return `Your last question was ${quote(asked.at(-1)!)}.`;
  const listed = asked.slice(-5).map((text, index) => `${index + 1}. ${quote(text, 200)}`);
  return `${asked.length > 5 ? `Your last 5 of ${asked.length} questions` : 'You asked'}:\n${listed.join('\n')}`;
}

/** Scripts other than Latin: a question mostly in them is not English. */
const NON_LATIN =
  /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Devanagari}\p{Script=Thai}\p{Script=Armenian}\p{Script=Georgian}\p{Script=Bengali}\p{Script=Tamil}]/u;
/** Function words of common Latin-script languages that are not English words. */
const FOREIGN_WORDS = new Set(
  `le la les de des du est sont une pour dans qui que quels quelles quel quelle avec sur pas cette ces je vous nous ils elle au aux comment pourquoi quoi où articles
  der das und ist sind ein eine einen welche welcher welches wie warum mit für auf nicht ich sie wir es den dem zu von im auch über gibt oder
  el los las del y es son una qué cuál cuáles cómo por para con en sobre hay se artículos modelos qual quais como são um uma com em não
  il lo gli di è sono che perché della delle questo
  het een zijn welke hoe wat waarom voor niet ik van`.split(/\s+/),
);
const ENGLISH_WORDS = new Set(
  `the a an of in on for to and or is are was were be been which what who how why when where do does did can could would should
  that this these those with about from by any some papers paper models model there have has it its they them i you we`.split(
    /\s+/,
  ),
);

/**
 * False for a question in another language: mostly non-Latin letters, or Latin words that are
 * mostly function words of French, German, Spanish, Italian, Portuguese or Dutch rather than
 * English (at least two, and more than the English ones). Names and technical terms count for
 * neither, so "Nugget?" or "LoRA vs. prefix tuning" stay English.
 */
export function looksEnglish(text: string): boolean {
  const letters = [...text].filter((character) => /\p{L}/u.test(character));
  if (letters.length === 0) return true;
  const nonLatin = letters.filter((character) => NON_LATIN.test(character)).length;
  if (nonLatin / letters.length >= 0.3) return false;
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const foreign = words.filter((word) => FOREIGN_WORDS.has(word) && !ENGLISH_WORDS.has(word)).length;
  const english = words.filter((word) => ENGLISH_WORDS.has(word)).length;
  return !(foreign >= 2 && foreign > english && foreign / words.length >= 0.2);
}
