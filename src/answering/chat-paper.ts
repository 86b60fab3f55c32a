import type { Paper } from '../corpus/paper.ts';
import { splitSentences } from '../corpus/sentences.ts';
import { tokenize } from '../retrieval/tokenize.ts';
import type { SearchHit } from '../retrieval/types.ts';
import {
  askingPart,
  asksComparison,
  asksFinding,
  countedWords,
  figureNounOf,
  holdsQuantity,
  isNotCounted,
  LISTED_QUESTION,
  namesListed,
  nounPhrase,
  questionWordsOf,
  specificNames,
  statesComparison,
} from './answer-type.ts';
import type { Answer } from './answerer.ts';
import { closestSentence, HOLDS_MOST } from './chat-topic.ts';
import { buildSources } from './sources.ts';
import { termCoverage } from './support.ts';

/** The name of the answerer field for replies the chat layer writes itself. */
export const CHAT_ANSWERER = 'chat';

/** A conversational reply: no papers, no citations (outcome `chat`). */
export function chatAnswer(text: string): Answer {
  return {
    answer: text,
    declined: false,
    outcome: 'chat',
    confidence: 1,
    citations: [],
    sources: [],
    answerer: CHAT_ANSWERER,
  };
}

/** An answer written by the chat layer citing `hits` as [1..n]. */
export function citedAnswer(text: string, hits: SearchHit[], declined: boolean): Answer {
  const sources = buildSources(hits);
  return {
    answer: text,
    declined,
    outcome: declined ? 'declined' : 'answered',
    confidence: declined ? 0 : 1,
    citations: sources.map(({ n, paperId, title }) => ({ n, paperId, title })),
    sources,
    answerer: CHAT_ANSWERER,
  };
}

/** A specific detail a question asks about a paper, and how to say it is missing. */
export interface DetailQuestion {
  kind: 'authors' | 'affiliation' | 'venue' | 'date' | 'number' | 'dataset' | 'listed' | 'code';
  /** Completes "The abstract of X does not state …": `who wrote it`, `how many parameters the model has`. */
  missing: string;
  /** Stemmed words of which the answer must hold one beside a number ("parameters" → `paramet`), if any. */
  focus?: string[];
  /** Stemmed terms of the question; without a focus, a stating sentence must share one. */
  terms: string[];
  /** Names in the question (tokens with digits or inner capitals) a stating sentence must hold. */
  names: string[];
  /** Whether it asks by how much something differs ("how much smaller and faster"): see `asksComparison`. */
  comparison: boolean;
  /** The question's words as written, lower-cased: a figure among them states nothing new. */
  questionWords: Set<string>;
}

/**
 * Recognises a question after a detail of a paper: authors, date, a number, a dataset, code. The
 * detail is read from the sentences that ask (`askingPart`): "We'd ship several model sizes. How
 * many sub-models did SortedNet train?" asks a count of sub-models, not model sizes.
 */
export function detailQuestion(question: string): DetailQuestion | undefined {
  const asking = askingPart(question);
  const kind = detailKind(asking.toLowerCase(), asking);
  return (
    kind && {
      ...kind,
      terms: tokenize(question, false),
      names: specificNames(question),
      comparison: asksComparison(asking),
      questionWords: questionWordsOf(question),
    }
  );
}

/** A question after the sizes of the models a paper trained or released. */
const MODEL_SIZE =
  /\b(?:what|which) (?:model |parameter )?sizes?\b|\bhow (?:big|large) (?:is|are|were|was) (?:the |its |their )?(?:\w+ )?models?\b|\b(?:model|parameter) sizes\b|\bsizes? of (?:the |its |their )?models?\b/;

/** A question after the university, institute, lab or company behind a paper. */
const AFFILIATION =
  /\b(?:which|what|where|who)\b.*\b(?:universit(?:y|ies)|institut(?:e|es|ion|ions)|affiliat\w*|labs?|laborator(?:y|ies)|compan(?:y|ies)|organi[sz]ations?)\b/;
/**
 * A sentence placing someone at an organisation ("… at the University of …", "from Google"), which
 * may state an affiliation. An organisation named as the subject of study ("OpenAI's latest
 * 175B-parameter model") says nothing of where the authors work.
 */
const ORGANISATION =
  /\b(?:at|from)\s+(?:the\s+)?(?:University|Institute|Laborator(?:y|ies)|Lab|Google|Meta|Microsoft|OpenAI|DeepMind|Anthropic|NVIDIA|FAIR)\b/;

/**
 * Whether "authors" names what is asked ("list the authors", "the authors of Nugget?"), not who
 * says something ("which dataset did the WiC authors say models had surpassed?": "authors" then a
 * verb, a word ending in -ed or -s, "names" aside, or a verb of saying or finding).
 */
function asksAuthors(text: string): boolean {
  for (const match of text.matchAll(/\bauthors?\b(?:\s+(\w+))?/g)) {
    const next = match[1];
    const verb =
      next !== undefined &&
      next !== 'names' &&
      /(?:ed|s)$|^(?:say|find|show|claim|argue|report|propose|use|do|did|think|mean|call|write|note|suggest)$/.test(
        next,
      );
    if (!verb) return true;
  }
  return false;
}

/** The detail `text` (the question lower-cased) asks for; `question` as written, for quoting it. */
function detailKind(
  text: string,
  question: string,
): Omit<DetailQuestion, 'terms' | 'names' | 'comparison' | 'questionWords'> | undefined {
  // "Which university are the authors from?": the record lists authors, not where they work.
  if (AFFILIATION.test(text)) return { kind: 'affiliation', missing: 'where its authors work' };
  if (
    /\bwho (?:wrote|writes|authored|created|made|developed|proposed|is behind|are the authors)\b|\bwritten by\b/.test(
      text,
    ) ||
    asksAuthors(text)
  )
    return { kind: 'authors', missing: 'who wrote it' };
  // "What does it find about how much text …?" asks a finding, which may be stated in words.
  if (asksFinding(text)) return undefined;
  // "what model sizes did they release?", "how big are the models?": a number, before "released" reads as a date.
  if (MODEL_SIZE.test(text))
    return { kind: 'number', missing: 'the model sizes', focus: ['size', 'paramet', 'scale'] };
  // A venue is not in the record (the arXiv date does not say where a paper appeared).
  if (/\b(?:conference|venue|journal|workshop)\b/.test(text))
    return { kind: 'venue', missing: 'where it was published' };
  // "released" asks a date only beside "when", a year, a date or a month: "the vectors they
  // released" is a thing, "released in the year ___" a date.
  if (
    /\b(?:what|which) (?:year|date|month|conference|venue|journal|workshop)\b|\bwhen (?:was|did|were)\b|\bpublished\b|\b(?:publication|release) (?:date|year)\b|\b(?:when|year|date|month)\b[^.?!]*\breleased\b|\breleased\b[^.?!]*\b(?:year|date|month)\b/.test(
      text,
    )
  )
    return { kind: 'date', missing: 'when it was published' };
  if (
    /\b(?:github|source code|code|repository|repo|implementation)\b.*\b(?:where|available|link|find)\b|\bwhere(?:'s| is| are| can i \w+| do i \w+| to \w+) (?:the |its |their )?(?:source )?(?:code|repository|repo|implementation)\b/.test(
      text,
    )
  )
    return { kind: 'code', missing: 'where its code is' };
  // "which two benchmarks ...", "what were the three corpora ...": the things must be named.
  const listed = question.match(LISTED_QUESTION);
  if (listed) {
    // Counted in lower case, quoted as written ("which two NL2SQL benchmarks").
    const size = nounPhrase(listed[2]!.toLowerCase()).length;
    const things = listed[2]!.trim().split(/\s+/).slice(0, size);
    if (things.length > 0)
      return {
        kind: 'listed',
        missing: `which ${listed[1]!.toLowerCase()} ${things.join(' ')}`,
        focus: tokenize(things.at(-1)!, false).slice(0, 1),
      };
  }
  const many = text.match(/\bhow (many|much|large|big)((?:\s+[a-z-]+){0,3})/);
  const numberOf = text.match(/\b(?:number|count|amount|size) of((?:\s+[a-z-]+){1,3})/)?.[1];
  // "parameter counts and training-token budgets": numbers named by the thing they count.
  const countedAs = [...text.matchAll(/\b([a-z]+) (?:count|budget)s?\b/g)].filter(
    (match) => !isNotCounted(match[1]!),
  );
  if (!many && numberOf === undefined && countedAs.length > 0) {
    return {
      kind: 'number',
      missing: `the ${countedAs.map((match) => match[0]).join(' and ')}`,
      focus: countedAs.flatMap((match) => tokenize(match[1]!, false).slice(0, 1)),
    };
  }
  if (many || numberOf !== undefined) {
    // The thing counted ("how many sentence pairs", "the number of layers"); "how much" counts none.
    // A unit of measure ("how many points") counts nothing either: any figure states it.
    // A name ends it ("how many nested sub-models SortedNet trained"); its last word is the thing
    // counted ("nested sub-models": any sentence counting sub-models may state it).
    const counted = many
      ? many[1] === 'many'
        ? countedWords(many[2]!, question)
        : []
      : countedWords(numberOf!, question);
    return {
      kind: 'number',
      missing: counted.length > 0 ? `the number of ${counted.join(' ')}` : 'that figure',
      focus: counted.length > 0 ? tokenize(counted.at(-1)!, false).slice(0, 1) : undefined,
    };
  }
  if (
    /\b(?:what|which) (?:\w+ ){0,3}(?:score|accuracy|perplexity|f1|bleu|error rate|win rate)\b|\bin percent(?:age)?\b|\bas a (?:number|percentage|figure)\b/.test(
      text,
    )
  )
    return { kind: 'number', missing: 'that figure' };
  // Any other figure named by what it measures ("what dimensionality …", "what inter-annotator
  // agreement …"): a sentence stating it holds that word beside a number.
  const measured = figureNounOf(text);
  if (measured !== undefined) {
    return { kind: 'number', missing: `the ${measured}`, focus: tokenize(measured, false).slice(-1) };
  }
  if (
    /\b(?:what|which) (?:datasets?|benchmarks?|corpora|corpus|data)\b|\b(?:trained|evaluated|tested) on (?:what|which)\b/.test(
      text,
    )
  )
    return { kind: 'dataset', missing: 'which datasets it uses' };
  return undefined;
}

/**
 * Answers a detail question about one paper from its abstract and record: the sentence stating it
 * (cited), the record's field (authors, date, code) with a note that the abstract does not state
 * it, or "The abstract of <title> does not state …" citing the paper.
 */
export function answerDetail(paper: Paper, hit: SearchHit, detail: DetailQuestion): Answer {
  const title = `"${paper.title.replace(/\s+/g, ' ').trim()}"`;
  const sentence = statingSentence(paper, detail);
  if (sentence) return citedAnswer(`${sentence} [1]`, [hit], false);
  const notStated = `The abstract of ${title} does not state ${detail.missing} [1].`;
  const record =
    (detail.kind === 'authors' || detail.kind === 'affiliation') && paper.authors?.length
      ? `Its record lists these authors: ${paper.authors.join(', ')}.`
      : detail.kind === 'date' && paper.publishedAt
        ? `Its record gives the arXiv date ${paper.publishedAt.slice(0, 10)}.`
        : detail.kind === 'code' && paper.githubRepo
          ? `Its record links the code: ${paper.githubRepo}.`
          : detail.kind === 'venue' && paper.publishedAt
            ? `Its record gives only the arXiv date, ${paper.publishedAt.slice(0, 10)}.`
            : '';
  // The arXiv date beside a venue question, the authors beside an affiliation question, are notes,
  // not answers: those stay declined.
  const answered = record !== '' && detail.kind !== 'venue' && detail.kind !== 'affiliation';
  return citedAnswer(record ? `${notStated} ${record}` : notStated, [hit], !answered);
}

/** The abstract sentence that states the detail, if one does. */
function statingSentence(paper: Paper, detail: DetailQuestion): string | undefined {
  const sentences = splitSentences(paper.abstract);
  const own = new Set(tokenize(paper.title, false));
  const names = detail.names.filter((name) => !paper.title.includes(name)).map((name) => name.toLowerCase());
  const holdsNames = (sentence: string) => names.every((name) => sentence.toLowerCase().includes(name));
  if (detail.kind === 'number') {
    // The thing counted ("parameters"), or else some word of the question beside the paper's name.
    const nameStems = new Set(detail.names.flatMap((name) => tokenize(name, false)));
    const wanted = detail.focus?.length
      ? detail.focus
      : detail.terms.filter((term) => !own.has(term) && !nameStems.has(term));
    return sentences.find((sentence) => {
      // A figure of the question itself ("157 languages") states nothing new.
      if (!holdsQuantity(sentence, detail.questionWords) || !holdsNames(sentence)) return false;
      // "How much smaller and faster …": "… using 100 times fewer parameters" states it.
      if (detail.comparison && statesComparison(sentence)) return true;
      const present = new Set(tokenize(sentence, false));
      return wanted.some((term) => present.has(term));
    });
  }
  if (detail.kind === 'affiliation') return sentences.find((sentence) => ORGANISATION.test(sentence));
  if (detail.kind === 'listed') {
    // A sentence on the things asked ("benchmarks") naming one not already in the question or title.
    const noun = detail.focus?.[0];
    const known = (stem: string) => own.has(stem) || detail.terms.includes(stem);
    return noun === undefined ? undefined : sentences.find((sentence) => namesListed(sentence, noun, known));
  }
  if (detail.kind === 'dataset') {
    return sentences.find(
      (sentence) =>
        holdsNames(sentence) &&
        /\b(datasets?|benchmarks?|corpus|corpora)\b/i.test(sentence) &&
        /\b[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9-]*\b/.test(sentence.slice(1)),
    );
  }
  return undefined;
}

/** A short account of a paper: its title and the first sentences of its abstract, cited. */
export function describePaper(hit: SearchHit, lead = ''): Answer {
  const sentences = splitSentences(hit.paper.abstract).slice(0, 3);
  const title = hit.paper.title.replace(/\s+/g, ' ').trim();
  const body = sentences.length > 0 ? sentences.join(' ') : '(no abstract)';
  return citedAnswer(`${lead}"${title}" [1]: ${body} [1]`, [hit], false);
}

/**
 * What a named paper's abstract says about `topic` when the answerer found no cited support: its
 * sentence holding at least `HOLDS_MOST` of the topic's IDF-weighted words, quoted and cited (the
 * title holding it: the paper described); else `The abstract of <title> does not mention …`
 * (declined) naming only the topic's words the abstract never uses; when it uses all of them but
 * no sentence holds most, the closest sentence (uncertain).
 */
export function answerFromAbstract(hit: SearchHit, topic: string, weight: (term: string) => number): Answer {
  const paper = hit.paper;
  const title = paper.title.replace(/\s+/g, ' ').trim();
  const terms = [...new Set(tokenize(topic, false))];
  if (terms.length > 0 && termCoverage(terms, title, weight) >= HOLDS_MOST) return describePaper(hit);
  const closest = closestSentence(topic, paper.abstract, weight);
  if (closest && closest.share >= HOLDS_MOST) return citedAnswer(`${closest.sentence} [1]`, [hit], false);
  if (!closest || closest.absent.length > 0) {
    const all = !closest || closest.absent.length === closest.contentWords;
    const missing = all ? `"${topic}"` : quotedList(closest.absent);
    return citedAnswer(`The abstract of "${title}" does not mention ${missing} [1].`, [hit], true);
  }
  return {
    ...citedAnswer(
      `The abstract of "${title}" may not answer this; its closest sentence: ${closest.sentence} [1]`,
      [hit],
      false,
    ),
    outcome: 'uncertain',
    confidence: closest.share,
  };
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
function quotedList(words: string[]): string {
  const quoted = [...new Set(words)].map((word) => `"${word}"`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}
