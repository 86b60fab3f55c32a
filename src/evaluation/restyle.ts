/**
 * Restyled copies of a judged question, for training the answerability score only: the same
 * question asked the ways people ask it in chat that the written sets cover unevenly. A copy keeps
 * its question's label, so the score learns that the wording around a question does not change
 * whether the abstracts answer it.
 *
 * - `context`: a sentence about the asker's own work comes first ("We are building a support
 *   chatbot for our online shop. …"), or a lead-in saying on whose behalf or how politely they ask
 *   ("My manager is asking: …", "Kindly advise: …"). Its words are mostly absent from the corpus,
 *   which lowers the question's coverage although nothing about the answer changed.
 * - `spoken`: a voice assistant's transcript: lower case, no punctuation, a filler first.
 *
 * The sentences and fillers below were written for this purpose; none comes from an evaluation
 * set. Which one a question gets is a hash of its id, so the fit stays deterministic.
 */

export type Restyling = 'context' | 'spoken';

export const RESTYLINGS: readonly Restyling[] = ['context', 'spoken'];

const CONTEXTS = [
  'I run the data team at a mid-sized insurance company.',
  'We are building a support chatbot for our online shop.',
  'My thesis is about legal contracts and how to search them.',
  'Our startup processes customer reviews in several languages.',
  'I teach an evening class for software engineers.',
  'We have a small cluster of old GPUs and a tight budget.',
  "I'm a journalist writing a piece for a general audience.",
  'Our hospital wants to summarise discharge letters automatically.',
  'I work on recommendation systems for a music streaming service.',
  'We index millions of scanned invoices every month.',
  'My manager asked me to prepare a short briefing for Friday.',
  "I'm reviewing a grant proposal outside my own field.",
  'Our game studio wants characters that talk back to players.',
  "I'm a librarian helping students find sources.",
  'We translate technical manuals for farming equipment.',
  'Quick question before our reading group tomorrow.',
  // Lead-ins added in the fifteenth session, after the development sets team-bs (questions passed
  // on for someone else) and team-bt (a formal letter's register) left such questions uncertain.
  'My manager is asking:',
  'A student of mine wants to know:',
  'Passing on a question from a colleague:',
  'Someone at the help desk asked me this:',
  'Kindly advise:',
  'I would be grateful for your assistance with the following.',
  'Could you please look into this for me?',
  'On behalf of our review committee:',
];

const FILLERS = ['um so', 'ok so', 'hey', 'so like', 'right so'];

/** One of `items`, chosen by a stable polynomial hash of a question id. */
function pick<T>(items: readonly T[], id: string): T {
  let hash = 7;
  for (const character of id) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return items[hash % items.length]!;
}

/** The question `text` (id `id`) asked in the given style. */
export function restyle(text: string, id: string, style: Restyling): string {
  if (style === 'context') return `${pick(CONTEXTS, id)} ${text}`;
  const spoken = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return `${pick(FILLERS, id)} ${spoken}`;
}
