import { isArxivId, normalizePaperId, type Paper } from '../corpus/paper.ts';

/**
 * Gives incoming papers the id of the stored paper that carries their arXiv id in its `arxivId`
 * field (a bundled `seed-NNN` paper), so an ingest of that paper updates it instead of adding a
 * copy. Papers with no such twin are returned unchanged.
 */
export function adoptKnownIds(incoming: readonly Paper[], known: readonly Paper[]): Paper[] {
  const byArxivId = new Map<string, string>();
  for (const paper of known) {
    if (paper.arxivId && paper.arxivId !== paper.id) byArxivId.set(normalizePaperId(paper.arxivId), paper.id);
  }
  if (byArxivId.size === 0) return [...incoming];
  return incoming.map((paper) => {
    const arxivId = normalizePaperId(paper.arxivId ?? paper.id);
    const twin = isArxivId(arxivId) ? byArxivId.get(arxivId) : undefined;
    return twin && twin !== paper.id ? { ...paper, id: twin, arxivId } : paper;
  });
}
