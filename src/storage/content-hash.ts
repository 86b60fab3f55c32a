import { createHash } from 'node:crypto';
import type { Paper } from '../corpus/paper.ts';

/** Hash of the text that is embedded and indexed: a change means the paper is re-embedded. */
export function contentHash(paper: Pick<Paper, 'title' | 'abstract'>): string {
  return createHash('sha256')
    .update(paper.title)
    .update('\u0000')
    .update(paper.abstract)
    .digest('hex')
    .slice(0, 16);
}
