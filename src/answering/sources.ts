import { paperReference } from '../corpus/citation.ts';
import type { SearchHit } from '../retrieval/types.ts';
import type { Source } from './answerer.ts';

/**
 * Numbers the retrieved papers as every answerer cites them: `n` is the 1-based position in
 * `hits` (best first), `link` the arXiv abstract page or the record's own link, `authors`, `published` and
 * `byline` when known.
 */
export function buildSources(hits: SearchHit[]): Source[] {
  return hits.map((hit, index) => {
    const { link, authors, published, byline } = paperReference(hit.paper);
    return {
      n: index + 1,
      paperId: hit.paper.id,
      title: hit.paper.title,
      ...(link ? { link } : {}),
      ...(authors ? { authors } : {}),
      ...(published ? { published } : {}),
      ...(byline ? { byline } : {}),
      score: hit.score,
    };
  });
}
