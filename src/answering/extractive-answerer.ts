import { splitSentences } from '../corpus/sentences.ts';
import { tokenize } from '../retrieval/tokenize.ts';
import type { SearchHit } from '../retrieval/types.ts';
import {
  askingPart,
  asksComparison,
  countedNounOf,
  countsCounted,
  holdsQuantity,
  isOrdinaryWord,
  PAPER_ON_TOPIC,
  questionWordsOf,
  specificNames,
  statesComparison,
} from './answer-type.ts';
import { answerabilityFeatures, stems } from './answerability-features.ts';
import {
  type AnswerabilityModel,
  chooseModel,
  outcomeOf,
  predict,
  readAnswerabilityParameters,
} from './answerability-model.ts';
import { BUNDLED_ANSWERABILITY_PATH, OFFLINE_EMBEDDING_MODEL } from './answerability-paths.ts';
import type { Answer, Answerer, AnswerRequest } from './answerer.ts';
import { buildSources } from './sources.ts';
import { detailAsked, type TermWeight, termCoverage } from './support.ts';

export interface ExtractiveAnswererOptions {
  /** Term weights (IDF of the corpus); every term weighs 1 without it. */
  termWeight?: TermWeight;
  /**
   * The answerability score for hits with dense scores (fitted for the index's embedding model);
   * default: the bundled parameters of the offline embedding model.
   */
  model?: AnswerabilityModel;
  /** The lexical-only score, for hits without dense scores (query embedding failed or timed out). */
  lexicalModel?: AnswerabilityModel;
  /** Papers quoted at most (default 3). */
  maxPapers?: number;
  /** Sentences quoted per paper at most (default 2). */
  sentencesPerPaper?: number;
  /** Whether any paper of the corpus uses a (stemmed) term; lets answers name the words none does. */
  isKnownTerm?: (term: string) => boolean;
  /** Whether any paper writes two stems side by side ("state space"), for the known-phrase signal. */
  isKnownPair?: (pair: string) => boolean;
  /** Whether the abstracts write a stem as a name (`corpusNames`), for the names-apart signal. */
  isCorpusName?: (stem: string) => boolean;
}

let bundled: { model: AnswerabilityModel; lexicalModel: AnswerabilityModel } | undefined;

/** The committed parameters of the offline embedding model and the lexical-only fallback (read once). */
function bundledModels(): { model: AnswerabilityModel; lexicalModel: AnswerabilityModel } {
  if (!bundled) {
    const parameters = readAnswerabilityParameters(BUNDLED_ANSWERABILITY_PATH);
    bundled = {
      model: chooseModel(parameters, OFFLINE_EMBEDDING_MODEL).model,
      lexicalModel: chooseModel(parameters, undefined).model,
    };
  }
  return bundled;
}

/** Opening words that name no topic ("which papers show ..."), dropped when quoting the topic back. */
const QUESTION_OPENING =
  /^(and |so |also )?(is there|are there|which|what|who|how|is|are|do|does|did|can|could|any|some)\b( (do|does|did|is|are|was|were|can|could|would|should)\b)?( (papers?|work|works|research|studies|approaches|models?))?( (that|which|who|on|about|using|use|show|argue|suggest))*\s*/i;

/** Outcome and confidence of one answer, carried into the Answer. */
interface Verdict {
  outcome: 'answered' | 'uncertain' | 'declined';
  confidence: number;
}

/**
 * The offline answerer: no language model. A calibrated answerability score over the question and
 * the retrieved hits (`answerability-features.ts`) picks one of three outcomes: answered (quotes
 * the most relevant sentences of the supporting abstracts, each cited `[n]`), uncertain (names the
 * closest papers and says the abstracts may not answer), or declined.
 */
export class ExtractiveAnswerer implements Answerer {
  readonly name = 'extractive';
  private readonly weight: TermWeight;
  private readonly isKnownTerm: (term: string) => boolean;
  private readonly model: AnswerabilityModel;
  private readonly lexicalModel: AnswerabilityModel;

  constructor(private readonly options: ExtractiveAnswererOptions = {}) {
    this.weight = options.termWeight ?? (() => 1);
    this.isKnownTerm = options.isKnownTerm ?? (() => true);
    const bundled = options.model && options.lexicalModel ? undefined : bundledModels();
    this.model = options.model ?? bundled!.model;
    this.lexicalModel = options.lexicalModel ?? bundled!.lexicalModel;
  }

  /**
   * A follow-up answered from the previous answer's papers ("which of those use state-space
   * models?"): every hit is a paper named in the previous answer. The score was not fitted on such
   * narrowed lists, so the question is answered when the best of them holds half of its weighted
   * terms, and uncertain otherwise; `confidence` is still the score's.
   */
  private followUpVerdict(request: AnswerRequest): Verdict | undefined {
    const previous = [...request.history].reverse().find((turn) => turn.role === 'assistant');
    const { hits, question } = request;
    if (!previous || hits.length === 0 || !hits.every((hit) => previous.text.includes(hit.paper.title))) {
      return undefined;
    }
    const terms = tokenize(question, false);
    const { confidence } = this.assess(question, hits);
    return { outcome: hits.some((hit) => this.onTopic(terms, hit)) ? 'answered' : 'uncertain', confidence };
  }

  /** The score's verdict on a question and its hits. */
  assess(question: string, hits: SearchHit[]): Verdict {
    const features = answerabilityFeatures(question, hits, {
      weight: this.weight,
      isKnownTerm: this.isKnownTerm,
      isKnownPair: this.options.isKnownPair,
      isCorpusName: this.options.isCorpusName,
    });
    const dense = hits.some((hit) => hit.denseScore !== undefined);
    const model = dense ? this.model : this.lexicalModel;
    const confidence = hits.length === 0 ? 0 : predict(model, features);
    return { outcome: hits.length === 0 ? 'declined' : outcomeOf(model, confidence), confidence };
  }

  async answer(request: AnswerRequest): Promise<Answer> {
    const { question, hits } = request;
    const assessed = this.followUpVerdict(request) ?? this.assess(question, hits);
    const verdict: Verdict =
      request.narrowed && assessed.outcome === 'declined' && hits.length > 0
        ? { ...assessed, outcome: 'uncertain' }
        : assessed;
    if (verdict.outcome === 'declined') {
      const first = hits[0];
      if (first && this.onTopic(tokenize(question, false), first)) {
        // A paper on the topic exists, but the score finds no passage that answers: saying no paper
        // is about it would be false.
        return this.reply(
          `The abstracts in the corpus do not seem to answer this. The closest paper is "${first.paper.title}" [1]; its abstract may not state what you ask.`,
          [first],
          verdict,
        );
      }
      const absent = this.absentWords(question);
      const note =
        absent.length > 0
          ? ` No abstract in it mentions ${absent
              .slice(0, 4)
              .map((word) => `"${word}"`)
              .join(', ')}.`
          : '';
      return this.reply(`I found no paper in the corpus about ${topicOf(question)}.${note}`, [], verdict);
    }
    const supporting = this.supporting(question, hits);
    const detail = detailAsked(question);
    const closest = supporting[0]!;
    const declined: Verdict = { ...verdict, outcome: 'declined' };
    if (detail === 'venue' || (detail === 'authors' && !closest.paper.authors?.length)) {
      return this.reply(
        `The abstracts in the corpus do not state ${detail === 'venue' ? 'where or when a paper was published' : 'who wrote a paper'}. ` +
          `The closest match is "${closest.paper.title}" [1].`,
        [closest],
        declined,
      );
    }
    if (detail === 'authors') {
      return this.reply(
        `"${closest.paper.title}" lists these authors: ${closest.paper.authors!.join(', ')} [1].`,
        [closest],
        verdict,
      );
    }
    if (detail === 'number') {
      const found = this.findStatedNumber(question, supporting);
      if (!found) {
        // No sentence states the figure: one outcome lower. The check reads numbers beside words,
        // so a confident score with no figure found ("what proxy score is used …" asks a name) is
        // uncertain, not declined; an uncertain one is declined.
        if (verdict.outcome === 'answered') {
          return this.reply(
            `I found no sentence stating that figure. The closest match is "${closest.paper.title}" [1]; its abstract may not state it.`,
            [closest],
            { ...verdict, outcome: 'uncertain' },
          );
        }
        return this.reply(
          `The abstracts in the corpus do not state that figure. The closest match is "${closest.paper.title}" [1].`,
          [closest],
          declined,
        );
      }
      return this.reply(`${found.sentence} [1]`, [found.hit], verdict);
    }
    return this.compose(question, supporting.slice(0, this.options.maxPapers ?? 3), verdict);
  }

  /**
   * Papers to quote, best first: the first hit, and the next four when they match the question at
   * least half as well (`questionScore`: feedback's likeness to the first paper is no evidence)
   * and hold 0.3 of the question's weighted terms or a passage of cosine 0.6.
   */
  private supporting(question: string, hits: SearchHit[]): SearchHit[] {
    const terms = tokenize(question, false);
    const matchOf = (hit: SearchHit | undefined) => hit?.questionScore ?? hit?.score ?? 0;
    const top = matchOf(hits[0]);
    return hits
      .slice(0, 5)
      .filter(
        (hit, rank) =>
          rank === 0 ||
          (matchOf(hit) >= top * 0.5 &&
            (termCoverage(terms, `${hit.paper.title} ${hit.paper.abstract}`, this.weight) >= 0.3 ||
              (hit.denseScore ?? 0) >= 0.6)),
      );
  }

  private compose(question: string, papers: SearchHit[], verdict: Verdict): Answer {
    const terms = tokenize(question, false);
    const perPaper = this.options.sentencesPerPaper ?? 2;
    const lines = papers.map((hit, position) => {
      const sentences = splitSentences(hit.paper.abstract).map((sentence, index) => ({
        sentence,
        index,
        relevance: termCoverage(terms, sentence, this.weight) + (index === 0 ? 0.05 : 0),
      }));
      const ranked = [...sentences].sort((left, right) => right.relevance - left.relevance);
      const chosen = ranked
        .filter((entry, rank) => rank === 0 || entry.relevance >= 0.25)
        .slice(0, perPaper)
        .sort((left, right) => left.index - right.index);
      const n = position + 1;
      return `- ${hit.paper.title}: ${chosen.map((entry) => `${entry.sentence} [${n}]`).join(' ')}`;
    });
    const absent = this.absentWords(question).slice(0, 4);
    const quoted = absent.map((word) => `"${word}"`).join(', ');
    if (verdict.outcome === 'uncertain') {
      const titles = papers.map((hit, position) => `"${hit.paper.title}" [${position + 1}]`).join(', ');
      const lead = `The closest papers are ${titles}; the abstracts may not answer this${absent.length > 0 ? ` (none uses ${quoted})` : ''}.`;
      return this.reply(`${lead}\n${lines.join('\n')}`, papers, verdict);
    }
    const lead =
      absent.length > 0
        ? `From the abstracts in the corpus (none uses ${quoted}):`
        : 'From the abstracts in the corpus:';
    return this.reply(`${lead}\n${lines.join('\n')}`, papers, verdict);
  }

  /** Whether a paper holds half of the question's weighted content words (`PAPER_ON_TOPIC`). */
  private onTopic(terms: string[], hit: SearchHit): boolean {
    return termCoverage(terms, `${hit.paper.title} ${hit.paper.abstract}`, this.weight) >= PAPER_ON_TOPIC;
  }

  private absentWords(question: string): string[] {
    return this.options.isKnownTerm ? wordsAbsentFromCorpus(question, this.options.isKnownTerm) : [];
  }

  /**
   * A sentence stating a quantity (`holdsQuantity`: not "GPT-4", not the question's own numbers)
   * in a paper naming every specific name of the question, the sentence holding one of those names
   * or a quarter of the question's weighted terms; undefined when no paper states the figure.
   */
  private findStatedNumber(
    question: string,
    papers: SearchHit[],
  ): { sentence: string; hit: SearchHit } | undefined {
    // The asking sentences only: a name or word of the scene set first ("a modest CPU server") is
    // not the figure's. A name is held as its stems ("German-to-English" by "German-English").
    const asking = askingPart(question);
    const names = specificNames(asking)
      .map((name) => tokenize(name, false))
      .filter((name) => !isOrdinaryWord(name, this.isKnownTerm, this.options.isCorpusName));
    const terms = tokenize(asking, false);
    const questionWords = questionWordsOf(question);
    const counted = countedNounOf(question);
    const comparison = asksComparison(question);
    for (const hit of papers) {
      // Memoised stems: the score has already tokenised these texts for the same question.
      const paperStems = new Set(stems(`${hit.paper.title} ${hit.paper.abstract}`));
      if (!names.every((name) => name.every((stem) => paperStems.has(stem)))) continue;
      for (const sentence of splitSentences(hit.paper.abstract)) {
        const sentenceStems = new Set(stems(sentence));
        const onTopic =
          names.some((name) => name.length > 0 && name.every((stem) => sentenceStems.has(stem))) ||
          termCoverage(terms, sentence, this.weight) >= 0.25 ||
          (counted !== undefined && countsCounted(sentence, counted, questionWords)) ||
          (comparison && statesComparison(sentence) && (hit === papers[0] || this.onTopic(terms, hit)));
        if (onTopic && holdsQuantity(sentence, questionWords, true)) return { sentence, hit };
      }
    }
    return undefined;
  }

  private reply(answer: string, used: SearchHit[], verdict: Verdict): Answer {
    const sources = buildSources(used);
    return {
      answer,
      declined: verdict.outcome === 'declined',
      outcome: verdict.outcome,
      confidence: Number(verdict.confidence.toFixed(4)),
      citations: sources.map(({ n, paperId, title }) => ({ n, paperId, title })),
      sources,
      answerer: this.name,
    };
  }
}

/** Words of the question that no paper of the corpus uses, as the user wrote them. */
function wordsAbsentFromCorpus(question: string, isKnownTerm: (term: string) => boolean): string[] {
  const absent = new Map<string, string>();
  const unknown = (text: string) => {
    const stems = tokenize(text, false);
    return stems.length > 0 && stems.every((stem) => !isKnownTerm(stem));
  };
  for (const word of question.match(/[\p{L}\p{N}]+(?:[-'][\p{L}\p{N}]+)*/gu) ?? []) {
    // A compound the corpus knows in part ("pre-LN", "text-to-SQL") names its unknown parts.
    const pieces = unknown(word) ? [word] : word.split('-').filter(unknown);
    for (const piece of pieces) absent.set(piece.toLowerCase(), piece);
  }
  return [...absent.values()];
}

/** The question's topic, quoted back in a decline: `"protein language model embeddings ..."`. */
export function topicOf(question: string): string {
  const topic = question
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[?!.]+$/, '')
    .replace(QUESTION_OPENING, '')
    .split(' ')
    .slice(0, 14)
    .join(' ');
  return topic ? `"${topic}"` : 'that';
}
