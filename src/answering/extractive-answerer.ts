import { splitSentences } from '../corpus/sentences.ts';
import { tokenize } from '../retrieval/tokenize.ts';
import type { SearchHit } from '../retrieval/types.ts';
import type { Answer, Answerer, AnswerRequest } from './answerer.ts';
import { buildSources } from './sources.ts';
import {
  assessSupport,
  DEFAULT_SUPPORT,
  detailAsked,
  type SupportThresholds,
  specificNames,
  type TermWeight,
  termCoverage,
} from './support.ts';

export interface ExtractiveAnswererOptions {
  /** Term weights (IDF of the corpus); every term weighs 1 without it. */
  termWeight?: TermWeight;
  thresholds?: SupportThresholds;
  /** Papers quoted at most (default 3). */
  maxPapers?: number;
  /** Sentences quoted per paper at most (default 2). */
  sentencesPerPaper?: number;
  /** Whether any paper of the corpus uses a (stemmed) term; lets answers name the words none does. */
  isKnownTerm?: (term: string) => boolean;
}

/** Opening words that name no topic ("which papers show ..."), dropped when quoting the topic back. */
const QUESTION_OPENING =
  /^(and |so |also )?(is there|are there|which|what|who|how|is|are|do|does|did|can|could|any|some)\b( (do|does|did|is|are|was|were|can|could|would|should)\b)?( (papers?|work|works|research|studies|approaches|models?))?( (that|which|who|on|about|using|use|show|argue|suggest))*\s*/i;

/**
 * The offline answerer: no language model. Quotes the most relevant sentences of the retrieved
 * abstracts, each cited `[n]`, and declines when the abstracts do not support an answer.
 */
export class ExtractiveAnswerer implements Answerer {
  readonly name = 'extractive';
  private readonly weight: TermWeight;

  constructor(private readonly options: ExtractiveAnswererOptions = {}) {
    this.weight = options.termWeight ?? (() => 1);
  }

  async answer(request: AnswerRequest): Promise<Answer> {
    const { question, hits } = request;
    const absent = this.absentWords(question);
    const assessment = assessSupport(
      question,
      hits,
      this.weight,
      this.options.thresholds ?? DEFAULT_SUPPORT,
      /[a-z]/.test(question) ? absent.filter(looksLikeName) : [],
    );
    if (!assessment.supported) {
      const note =
        absent.length > 0
          ? ` No abstract in it mentions ${absent
              .slice(0, 4)
              .map((word) => `"${word}"`)
              .join(', ')}.`
          : '';
      return this.decline(`I found no paper in the corpus about ${topicOf(question)}.${note}`, []);
    }
    const detail = detailAsked(question);
    const closest = assessment.supporting[0]!;
    if (detail === 'venue' || (detail === 'authors' && !closest.paper.authors?.length)) {
      return this.decline(
        `The abstracts in the corpus do not state ${detail === 'venue' ? 'where or when a paper was published' : 'who wrote a paper'}. ` +
          `The closest match is "${closest.paper.title}" [1].`,
        [closest],
      );
    }
    if (detail === 'authors') {
      return this.respond(
        `"${closest.paper.title}" lists these authors: ${closest.paper.authors!.join(', ')} [1].`,
        [closest],
      );
    }
    if (detail === 'number') {
      const found = this.findStatedNumber(question, assessment.supporting);
      if (!found) {
        return this.decline(
          `The abstracts in the corpus do not state that figure. The closest match is "${closest.paper.title}" [1].`,
          [closest],
        );
      }
      return this.respond(`${found.sentence} [1]`, [found.hit]);
    }
    return this.compose(question, assessment.supporting.slice(0, this.options.maxPapers ?? 3));
  }

  private compose(question: string, papers: SearchHit[]): Answer {
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
    const lead =
      absent.length > 0
        ? `No abstract in the corpus mentions ${absent.map((word) => `"${word}"`).join(', ')}; the closest matches:`
        : 'From the abstracts in the corpus:';
    return this.respond(`${lead}\n${lines.join('\n')}`, papers);
  }

  private absentWords(question: string): string[] {
    return this.options.isKnownTerm ? wordsAbsentFromCorpus(question, this.options.isKnownTerm) : [];
  }

  /** A sentence holding a number and every specific name the question mentions, if any. */
  private findStatedNumber(
    question: string,
    papers: SearchHit[],
  ): { sentence: string; hit: SearchHit } | undefined {
    const names = specificNames(question).map((name) => name.toLowerCase());
    for (const hit of papers) {
      for (const sentence of splitSentences(hit.paper.abstract)) {
        const lower = sentence.toLowerCase();
        if (/\d/.test(sentence) && names.every((name) => lower.includes(name))) return { sentence, hit };
      }
    }
    return undefined;
  }

  private respond(answer: string, used: SearchHit[]): Answer {
    const sources = buildSources(used);
    return {
      answer,
      declined: false,
      outcome: 'answered',
      confidence: 1,
      citations: sources.map(({ n, paperId, title }) => ({ n, paperId, title })),
      sources,
      answerer: this.name,
    };
  }

  private decline(answer: string, used: SearchHit[]): Answer {
    const sources = buildSources(used);
    return {
      answer,
      declined: true,
      outcome: 'declined',
      confidence: 0,
      citations: sources.map(({ n, paperId, title }) => ({ n, paperId, title })),
      sources,
      answerer: this.name,
    };
  }
}

/** An acronym or a CamelCase name ("RLHF", "LoRA", "FlashAttention"), not a shouted word. */
function looksLikeName(word: string): boolean {
  return /[A-Z].*[A-Z]/.test(word) && (/[a-z]/.test(word) || word.replace(/[^A-Z]/g, '').length <= 6);
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
