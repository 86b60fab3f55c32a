import { paperLinks } from '../corpus/paper.ts';
import type { SearchHit } from '../retrieval/types.ts';
import type { Source } from './answerer.ts';

/**
 * Numbers the retrieved papers as every answerer cites them: `n` is the 1-based position in
 * `hits` (best first), `link` the arXiv abstract page or the record's own link when known.
 */
export function buildSources(hits: SearchHit[]): Source[] {
  return hits.map((hit, index) => {
    const source: Source = { n: index + 1, paperId: hit.paper.id, title: hit.paper.title, score: hit.score };
    const link = paperLinks(hit.paper).abs;
    if (link) source.link = link;
    return source;
  });
}
