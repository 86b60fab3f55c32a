import { tokenize } from '../retrieval/tokenize.ts';

/** What kind of answer a question asks for, when it asks for a specific one. */
export type AnswerType = 'number' | 'year' | 'name' | 'list' | undefined;

/** Nouns whose value is a number ("what compression ratio ...", "what accuracy ..."). */
const NUMBER_NOUNS =
  'score|accuracy|perplexity|f1|bleu|error rate|win rate|percentage|number|size|speed-?up|learning rate|batch size|ratio|dimensions?|dimensionality|factor|temperature|threshold|agreement|correlation|length|cost|latency';
/**
 * Nouns whose value is a name ("which dataset is ...", "which optimizer and schedule were ...",
 * "which open-source language model was ...", "which LLM does ... use"), singular or plural.
 */
const NAME_NOUNS =
  '(?:dataset|benchmark|corpus|corpora|model|language model|llm|lm|vlm|lvlm|plm|encoder|tokenizer|architecture|optimizer|university|institution|company|gpu)s?|hardware|licen[cs]e';
/** Up to two words before the noun ("open-source", "pretrained vision"), none a verb or article. */
const NAME_MODIFIERS = '(?:(?!(?:is|are|was|were|did|does|do|has|have|the|a|an|of)\\b)[\\w-]+ ){0,2}';
const NUMBER_QUESTION = new RegExp(
  `\\bhow (many|much|large|big|long|fast)\\b|\\bwhat (\\w+ ){0,3}(${NUMBER_NOUNS})\\b|\\bwhich (\\w+ )?(?!number\\b)(${NUMBER_NOUNS})\\b|\\bin percent(age)?\\b`,
);
const NAME_QUESTION = new RegExp(
  `\\b(which|what) ${NAME_MODIFIERS}(${NAME_NOUNS})\\b( and( [\\w-]+){1,4})? ((exactly|actually|specifically|precisely) )?(is|are|was|were|did|does|do|has|have|they|it|we|you)\\b|\\bwho (wrote|authored|proposed|introduced|created)\\b|\\bwhat (is|are) the names?\\b`,
);

/** "what accuracy", "which compression ratio": the noun of a figure asked after "what" or "which". */
const FIGURE_NOUN = new RegExp(`\\b(?:what (?:[\\w-]+ ){0,3}|which (?:[\\w-]+ )?)(${NUMBER_NOUNS})\\b`);

/**
 * The noun whose figure a question asks ("what inter-annotator agreement …" → "agreement", "what
 * dimensionality …"), lower case; none for "what number" or a question without one.
 */
export function figureNounOf(question: string): string | undefined {
  const noun = expandWhat(question.toLowerCase()).match(FIGURE_NOUN)?.[1];
  return noun === undefined || noun === 'number' ? undefined : noun;
}

/** "what's" and "whats" as "what is", so that a typed contraction asks what the full form asks. */
function expandWhat(text: string): string {
  return text.replace(/\bwhat(?:'s|\u2019s|s)(?=\s)/g, 'what is');
}

/** A question after what a paper finds, says or shows about something, not after one detail. */
const FINDING =
  /\bwhat (?:does|did|do) (?:\S+ ){1,8}?(?:find|say|show|report|conclude|claim|argue|suggest|reveal)s? about\b/;

/**
 * Whether a question asks what a paper finds, says or shows *about* something ("what did the
 * Goldilocks paper find about how much text …"): a finding, which may be stated in words, even
 * with "how much" in it.
 */
export function asksFinding(question: string): boolean {
  return FINDING.test(question.toLowerCase());
}

/**
 * Recognises questions after a number, a year or date, a named model, dataset or benchmark, or a
 * counted list of named things ("which two NL2SQL benchmarks").
 */
export function answerTypeOf(question: string): AnswerType {
  const text = expandWhat(question.toLowerCase());
  if (asksFinding(text)) return undefined;
  if (/\b(which|what) year\b|\bwhen (was|were|did)\b|\bin what year\b/.test(text)) return 'year';
  if (LISTED_QUESTION.test(question)) return 'list';
  if (NUMBER_QUESTION.test(text)) return 'number';
  if (NAME_QUESTION.test(text)) return 'name';
  return undefined;
}

/**
 * The sentences of a question that ask (those ending in a question mark), without the scene it sets
 * first ("Our clinic only has a modest CPU server. When BERT was distilled …, how many fewer
 * parameters …?" → the second sentence); the whole question when no sentence ends in one.
 */
export function askingPart(question: string): string {
  const asking = question
    .trim()
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => sentence.endsWith('?'));
  return asking.length > 0 ? asking.join(' ') : question;
}

/**
 * The part of a question that asks for its answer type, when it is a later clause of the question
 * ("I saw a paper on circles in LMs. Which models did they look at?" → "which models did they look
 * at?"); `undefined` when the whole question asks it.
 */
export function typeClauseOf(question: string, type: AnswerType): string | undefined {
  const pattern = type === undefined ? undefined : TYPE_QUESTIONS[type];
  if (pattern === undefined) return undefined;
  const text = question.toLowerCase();
  const at = text.search(pattern);
  return at > 0 ? text.slice(at) : undefined;
}

/** Comparatives whose amount a "how much …" question asks ("how much smaller and faster …"). */
const COMPARATIVES =
  'smaller|faster|larger|bigger|better|worse|cheaper|quicker|slower|fewer|less|more|higher|lower|shorter|longer|lighter';
const COMPARISON_QUESTION = new RegExp(
  `\\bhow (?:much|many times) (?:\\w+ )?(?:${COMPARATIVES})\\b|\\bby (?:\\w+ )?how much\\b|\\bhow much (?:\\w+ ){0,4}(?:beat|outperform|improv|reduc|shorten|shrink|speed|gain)\\w*\\b`,
);
/**
 * A figure stated as a comparison, the figure before the comparative with one word between at most:
 * "100 times fewer parameters", "3x faster", "20% less memory", "15 times less inference time".
 */
const COMPARISON_FIGURE = new RegExp(
  `\\b(?:\\d+(?:\\.\\d+)?|two|three|four|five|six|seven|eight|nine|ten|hundreds?|thousands?)\\s*(?:times|x|×|-?fold|%|percent)\\s+(?:\\w+\\s+)?(?:${COMPARATIVES})\\b`,
  'i',
);

/**
 * Whether a question asks by how much one thing differs from another ("how much smaller and faster
 * is the BiLSTM …?", "by roughly how much did they beat …?", "how much did accuracy improve?"): a
 * sentence stating the comparison answers it even when it names neither ("… while using roughly
 * 100 times fewer parameters"), if its paper is on the question's topic.
 */
export function asksComparison(question: string): boolean {
  return COMPARISON_QUESTION.test(question.toLowerCase());
}

/**
 * Share of a question's weighted content words a paper must hold to be on the question's topic: a
 * comparison stated in it answers the question, a decline names it as the closest paper, a
 * follow-up narrowed to it is answered.
 */
export const PAPER_ON_TOPIC = 0.5;

/**
 * A change stated by its size, a verb of change then "by" and the figure within one clause:
 * "reduces token sequence lengths by >20%", "outperforms the … model by 20%", "improving task
 * accuracy by over 20%".
 */
const CHANGE_BY_FIGURE =
  /\b(?:reduc|cut|lower|increas|improv|speed|shrink|compress|decreas|degrad|boost|rais|outperform|accelerat|shorten)\w*\b[^.;]{0,60}?\bby\s+(?:(?:up to|over|more than|less than|about|roughly|nearly|around|approximately)\s+|[>~<≈]\s*)?\d+(?:\.\d+)?\s*(?:%|x\b|×|times\b|-?fold\b|percent\b|points?\b|pp\b)/i;

/**
 * Whether a sentence states a figure as a comparison ("100 times fewer parameters", "3x faster",
 * "reduces lengths by >20%").
 */
export function statesComparison(sentence: string): boolean {
  return COMPARISON_FIGURE.test(sentence) || CHANGE_BY_FIGURE.test(sentence);
}

/** Numbers written as words ("eight languages"); "one" and "two" are too often no figure. */
const NUMBER_WORDS =
  /\b(three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|fifty|hundreds?|thousands?|dozens?)\b/g;

/** The words of a question as written, lower-cased, that an answer must not merely repeat. */
export function questionWordsOf(question: string): Set<string> {
  return new Set((question.match(/[A-Za-z0-9][A-Za-z0-9.-]*/g) ?? []).map((word) => word.toLowerCase()));
}

/**
 * Whether a sentence states a quantity the question does not: a number standing on its own
 * ("29.7 BLEU", "12 billion", "20%"), not part of a name ("GPT-4", "WMT'14", "mod-10"), not an
 * enumerator or reference ("(1)", "[2]") and not a number of the question itself ("LLaMA 2"); with `numberWords`, also a number written as a
 * word (quoting a stated figure uses them; the score does not: they lowered its AUC both ways).
 */
export function holdsQuantity(sentence: string, questionWords: Set<string>, numberWords = false): boolean {
  if (numberWords) {
    for (const match of sentence.toLowerCase().matchAll(NUMBER_WORDS)) {
      if (!questionWords.has(match[0])) return true;
    }
  }
  for (const match of sentence.matchAll(/\d+(?:[.,]\d+)*[A-Za-z%]*/g)) {
    const before = sentence[match.index - 1] ?? ' ';
    const after = sentence[match.index + match[0].length] ?? ' ';
    if (/[A-Za-z0-9'\u2019.-]/.test(before)) continue;
    if ((before === '(' && after === ')') || (before === '[' && after === ']')) continue;
    if (questionWords.has(match[0].toLowerCase())) continue;
    return true;
  }
  return false;
}

/**
 * Whether a sentence holds an answer of the given type (names and numbers of the question excluded);
 * a counted list needs more than the sentence (`namesListed`), so it passes here.
 */
export function holdsAnswerType(sentence: string, type: AnswerType, questionWords: Set<string>): boolean {
  if (type === 'number') return holdsQuantity(sentence, questionWords);
  if (type === 'year') return /\b(19|20)\d\d\b/.test(sentence);
  if (type === 'name') {
    // A name made of the question's own words names nothing new ("LLM-based", "LLMs" for "which LLM").
    const questionStems = new Set([...questionWords].flatMap((word) => tokenize(word, false)));
    const names = sentence.match(/\b[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*\b/g) ?? [];
    return names.some(
      (name) =>
        (/\d/.test(name) || /[A-Z].*[A-Z]/.test(name)) &&
        !questionWords.has(name.toLowerCase()) &&
        !tokenize(name, false).every((stem) => questionStems.has(stem)),
    );
  }
  return true;
}

/** An acronym or a CamelCase name ("RLHF", "LoRA", "FlashAttention"), not a shouted word. */
export function looksLikeName(word: string): boolean {
  return /[A-Z].*[A-Z]/.test(word) && (/[a-z]/.test(word) || word.replace(/[^A-Z]/g, '').length <= 6);
}

/** A name a question writes, as its stems. */
export interface QuestionName {
  stems: string[];
  /** Written as an acronym or CamelCase ("RLHF", "LoRA", `looksLikeName`), not only capitalised. */
  acronym: boolean;
}

/**
 * The names a question writes (an acronym, a CamelCase word, or a capitalised word that does not
 * open a sentence: "LAPE", "ELMo", "Mistral", "Large Concept Model"), as the stems of each, without
 * stopwords (a shouted stopword, "AND", has no stems and names nothing). Lowercase questions name
 * nothing here.
 */
export function namesOf(question: string): QuestionName[] {
  const names = new Map<string, QuestionName>();
  for (const match of question.matchAll(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu)) {
    const word = match[0];
    const opensSentence = /(^|[.?!:"'(“‘]\s*)$/.test(question.slice(0, match.index));
    const acronym = looksLikeName(word);
    if (!acronym && !(/^\p{Lu}\p{Ll}/u.test(word) && !opensSentence)) continue;
    const stems = tokenize(word, false);
    if (stems.length === 0) continue;
    const key = stems.join(' ');
    names.set(key, { stems, acronym: acronym || (names.get(key)?.acronym ?? false) });
  }
  return [...names.values()];
}

/**
 * Whether a capitalised word of a question is an ordinary word: every stem of it is one the corpus
 * uses but never writes as a name ("TASK", "NEED", "FORMAT" of a structured request, "Sentence"),
 * so its capitals are emphasis or a label, not a name. Without the corpus's names, none is.
 */
export function isOrdinaryWord(
  stems: string[],
  isKnownTerm: (stem: string) => boolean,
  isCorpusName: ((stem: string) => boolean) | undefined,
): boolean {
  return (
    isCorpusName !== undefined &&
    stems.length > 0 &&
    stems.every((stem) => !/\d/.test(stem) && isKnownTerm(stem) && !isCorpusName(stem))
  );
}

/**
 * Units of measure, not things counted: "how many points / percent / times" asks an amount that an
 * abstract states as "over 20%", "3x" or "by 2.1", with no count of points or times beside it.
 */
const MEASURE_UNITS = /^(?:points?|pp|percent|percentage|times|fold)$/;

/** Whether a word after "how many" is a unit of measure ("points", "percent", "times"). */
export function isMeasureUnit(word: string): boolean {
  return MEASURE_UNITS.test(word.toLowerCase());
}

/** Words that end the thing counted: "how many sentence pairs does …" → "sentence pairs". */
const NOT_COUNTED = new Set(
  `is are was were be been does do did has have had can could would should will the a an of in on per for to from by
  with at into that which who what when where how and or but it its they their them you u we exactly approximately
  roughly about overall total`.split(/\s+/),
);

/** The words of a counted noun phrase, after a leading article, up to the first word not part of it. */
export function nounPhrase(text: string): string[] {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (/^(?:the|a|an|its|their)$/.test(words[0] ?? '')) words.shift();
  // A later word in -ed is a verb ("how many annotators checked …").
  const end = words.findIndex((word, index) => NOT_COUNTED.has(word) || (index > 0 && word.endsWith('ed')));
  return end < 0 ? words : words.slice(0, end);
}

/** Whether a lower-case word is no part of a counted thing ("is", "the", "roughly", "total"). */
export function isNotCounted(word: string): boolean {
  return NOT_COUNTED.has(word);
}

/**
 * The thing a counted phrase counts, as written in lower case: the noun phrase (`nounPhrase`),
 * ended by a name of the question after its first word ("nested sub-models SortedNet trained" →
 * "nested sub-models"; a name in front describes it: "MTEB tasks"); empty for a unit of measure
 * ("points"), whose answer is any figure (`holdsQuantity`).
 */
export function countedWords(phrase: string, question: string): string[] {
  const named = new Set(specificNames(question).map((name) => name.toLowerCase()));
  const whole = nounPhrase(phrase);
  const nameAt = whole.findIndex((word, index) => index > 0 && named.has(word));
  const counted = nameAt < 0 ? whole : whole.slice(0, nameAt);
  return counted[0] !== undefined && isMeasureUnit(counted[0]) ? [] : counted;
}

/**
 * The stem of what a "how many X" question counts, the last word of its counted phrase ("how many
 * languages" → "languag", "how many distinct features were …" → "featur"); none for a unit of
 * measure ("how many points").
 */
export function countedNounOf(question: string): string | undefined {
  const phrase = question.toLowerCase().match(/\bhow many((?:\s+[a-z][a-z-]*){1,3})/)?.[1];
  const counted = phrase === undefined ? [] : countedWords(phrase, question);
  return counted.length > 0 ? tokenize(counted.at(-1)!, false)[0] : undefined;
}

/**
 * Whether a sentence states a count of the noun: a number (digits or a number word, not one of the
 * question's) directly before it, one word between at most ("eight languages", "12 attention heads").
 */
export function countsCounted(sentence: string, noun: string, questionWords: Set<string>): boolean {
  const words = sentence.toLowerCase().match(/[a-z0-9][a-z0-9.,%-]*/g) ?? [];
  return words.some(
    (word, index) =>
      holdsQuantity(word, questionWords, true) &&
      words
        .slice(index + 1, index + 3)
        .some((next) => tokenize(next, false).some((stem) => sameOrShortened(stem, noun))),
  );
}

/**
 * Whether two stems are one word, allowing a shortened form of five letters or more ("params" →
 * `param`, "parameters" → `paramet`).
 */
function sameOrShortened(left: string, right: string): boolean {
  if (left === right) return true;
  const [short, long] = left.length < right.length ? [left, right] : [right, left];
  return short.length >= 5 && long.startsWith(short);
}

/**
 * A question asking to name a counted set of things whose names are proper nouns (benchmarks,
 * datasets, languages, models): "which two NL2SQL benchmarks did it use?". Group 1 is the count,
 * group 2 the things as written ("NL2SQL benchmarks").
 */
export const LISTED_QUESTION =
  /\b(?:which|what)(?: (?:were|are|was|is) the)? (\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|twenty) ((?:[\w-]+ ){0,3}?(?:benchmarks|datasets|corpora|languages|models|llms|lms|lvlms|plms|baselines|encoders|architectures))\b/i;

/** The pattern of each answer type whose asking part may be a later clause (`typeClauseOf`). */
const TYPE_QUESTIONS: Partial<Record<NonNullable<AnswerType>, RegExp>> = {
  list: LISTED_QUESTION,
  number: NUMBER_QUESTION,
  name: NAME_QUESTION,
};

/**
 * The stem of the things a question asks to name: a counted list ("which two NL2SQL benchmarks" →
 * "benchmark") or a named thing ("which open-source language model was …" → "model").
 */
export function listedNounOf(question: string): string | undefined {
  const things = question.match(LISTED_QUESTION)?.[2] ?? question.toLowerCase().match(NAME_QUESTION)?.[2];
  return things ? tokenize(things.trim().split(/\s+/).at(-1)!, false)[0] : undefined;
}

/**
 * Whether a sentence names one of the things a counted-list question asks for: it uses the thing's
 * stem (`noun`) and holds a name (a word with an inner capital or a digit, "BIRD", "GPT-4", or a
 * capitalised word mid-sentence, "Spider") none of whose stems is `known` (the question's own words,
 * the paper's title). A sentence that only counts them ("two NL2SQL benchmarks") names none.
 */
export function namesListed(sentence: string, noun: string, known: (stem: string) => boolean): boolean {
  if (!tokenize(sentence, false).includes(noun)) return false;
  return (sentence.match(/[A-Za-z][A-Za-z0-9-]*/g) ?? []).some((word, at) => {
    if (!(/[A-Z].*[A-Z0-9]|\d/.test(word) || (at > 0 && /^[A-Z]/.test(word)))) return false;
    const wordStems = tokenize(word, false);
    return wordStems.length > 0 && wordStems.every((stem) => !known(stem));
  });
}

/** Distinctive names in a question (benchmarks, models): tokens with digits or inner capitals. */
export function specificNames(question: string): string[] {
  const names = question.match(/\b[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*\b/g) ?? [];
  return names.filter((name) => /\d/.test(name) || /[A-Z].*[A-Z]/.test(name));
}
