import type { Answer } from '../../src/answering/answerer.ts';
import { paperByline } from '../../src/corpus/citation.ts';
import { paperLinks } from '../../src/corpus/paper.ts';
import { hasGoodMatch, relevanceLabel } from '../../src/retrieval/relevance.ts';
import type { SearchHit } from '../../src/retrieval/types.ts';

/** An answer as terminal text: the answer, then its numbered sources. */
export function renderAnswer(answer: Answer): string {
  const lines = [answer.answer];
  if (answer.sources.length > 0) {
    lines.push(
      '',
      answer.outcome === 'uncertain' ? 'Closest papers (they may not answer this):' : 'Sources:',
    );
    for (const source of answer.sources) {
      lines.push(
        `[${source.n}] ${source.title}${source.byline ? ` (${source.byline})` : ''}${source.link ? ` - ${source.link}` : ''} (${source.paperId})`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Search results as a ranked list with their relevance (calibrated 0-1 and high/medium/low), led
 * by a "no good match" line when even the best paper is unlikely to be relevant.
 */
export function renderHits(hits: SearchHit[], query = ''): string {
  if (hits.length === 0) return 'No matching papers.\n';
  const lead = hasGoodMatch(hits)
    ? ''
    : `No good match${query ? ` for "${query}"` : ''} in the corpus; the closest papers:\n`;
  return `${lead}${hits
    .map((hit, index) => {
      const link = paperLinks(hit.paper).abs;
      const relevance =
        hit.relevance === undefined
          ? `score ${hit.score.toFixed(3)}`
          : `${relevanceLabel(hit.relevance).padEnd(6)} ${hit.relevance.toFixed(2)}`;
      const byline = paperByline(hit.paper);
      return `${String(index + 1).padStart(2)}. ${relevance}  ${hit.paper.title} (${hit.paper.id})${byline ? `\n              ${byline}` : ''}${link ? `\n              ${link}` : ''}`;
    })
    .join('\n')}\n`;
}

/** The `--json` shape of an answer (documented in the README; extend, never rename). */
export function answerJson(answer: Answer): object {
  return {
    answer: answer.answer,
    declined: answer.declined,
    outcome: answer.outcome,
    confidence: answer.confidence,
    citations: answer.citations,
    sources: answer.sources,
    answerer: answer.answerer,
    ...(answer.fallbackReason ? { fallbackReason: answer.fallbackReason } : {}),
  };
}
