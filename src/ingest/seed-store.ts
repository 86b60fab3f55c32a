import { BUNDLED_CORPUS_PATH } from '../corpus/bundled.ts';
import { loadPapersJsonl } from '../corpus/jsonl.ts';
import type { Paper } from '../corpus/paper.ts';
import type { Logger } from '../logger.ts';
import type { PaperStore } from '../storage/paper-store.ts';

export interface SeedOptions {
  /** Papers the index already holds: adopted too, so a custom-built index is not emptied by the first sync. */
  indexed?: readonly Paper[];
  /** The corpus to seed from (default: the bundled `corpus/seed-papers.jsonl`). */
  corpus?: () => Paper[];
  logger?: Logger;
}

/** The bundled corpus, read from `corpus/seed-papers.jsonl`. */
export function bundledPapers(): Paper[] {
  return loadPapersJsonl(BUNDLED_CORPUS_PATH).papers;
}

/**
 * Fills an empty `papers` table with the bundled corpus and any paper the index holds beyond it,
 * in one transaction. Does nothing when the table has rows. Returns how many papers were added.
 */
export function seedStoreIfEmpty(store: PaperStore, options: SeedOptions = {}): number {
  if (store.count() > 0) return 0;
  const corpus = (options.corpus ?? bundledPapers)();
  const ids = new Set(corpus.map((paper) => paper.id));
  const adopted = (options.indexed ?? []).filter((paper) => !ids.has(paper.id));
  const change = store.upsert([...corpus, ...adopted]);
  options.logger?.info(
    { corpus: corpus.length, adoptedFromIndex: adopted.length },
    'seeded the paper store (it was empty)',
  );
  return change.added.length;
}
