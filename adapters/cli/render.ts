import type { Answer } from '../../src/answering/answerer.ts';
import { paperByline } from '../../src/corpus/citation.ts';
import { paperLinks } from '../../src/corpus/paper.ts';
import type { SearchHit } from '../../src/retrieval/types.ts';

/** An answer as terminal text: the answer, then its numbered sources. */
export function renderAnswer(answer: Answer): string {
  const lines = [answer.answer];
  if (answer.sources.length > 0) {
    lines.push('', 'Sources:');
    for (const source of answer.sources) {
      lines.push(
        `[${source.n}] ${source.title}${source.byline ? ` (${source.byline})` : ''}${source.link ? ` - ${source.link}` : ''} (${source.paperId})`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Search results as a ranked list with scores. */
export function renderHits(hits: SearchHit[]): string {
  if (hits.length === 0) return 'No matching papers.\n';
  return `${hits
    .map((hit, index) => {
      const link = paperLinks(hit.paper).abs;
      const byline = paperByline(hit.paper);
      return `${String(index + 1).padStart(2)}. ${hit.score.toFixed(3)}  ${hit.paper.title} (${hit.paper.id})${byline ? `\n              ${byline}` : ''}${link ? `\n              ${link}` : ''}`;
    })
    .join('\n')}\n`;
}

/** The `--json` shape of an answer (documented in the README; extend, never rename). */
export function answerJson(answer: Answer): object {
  return {
    answer: answer.answer,
    declined: answer.declined,
    citations: answer.citations,
    sources: answer.sources,
    answerer: answer.answerer,
    ...(answer.fallbackReason ? { fallbackReason: answer.fallbackReason } : {}),
  };
}
