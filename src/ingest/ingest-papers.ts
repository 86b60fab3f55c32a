import type { Paper } from '../corpus/paper.ts';
import { type Logger, silentLogger } from '../logger.ts';
import type { PaperIndex } from '../retrieval/paper-index.ts';
import type { PaperStore, StoreChange } from '../storage/paper-store.ts';
import { adoptKnownIds } from './arxiv-id-match.ts';
import { type SeedOptions, seedStoreIfEmpty } from './seed-store.ts';
import { type SyncResult, syncIndex } from './sync-index.ts';

export interface IngestTarget {
  store: PaperStore;
  index: PaperIndex;
  logger?: Logger;
  /** The corpus an empty store is seeded with (default: the bundled one). */
  seedCorpus?: SeedOptions['corpus'];
}

export interface IngestRunOptions {
  /** Report what would change; write nothing. */
  dryRun?: boolean;
  /** Embedding progress: papers embedded so far, papers to embed. */
  onProgress?: (done: number, total: number) => void;
  /** Papers embedded per index save (default 256). */
  batchSize?: number;
}

/** What one ingest did (or, dry, would do). */
export interface IngestOutcome {
  /** The store change: new, updated (and of those, content changed), unchanged. */
  store: StoreChange;
  /** Papers the store was seeded with first (0 unless it was empty). */
  seeded: number;
  /** What the index sync did; absent on a dry run. */
  index?: SyncResult;
}

/**
 * Ingests papers: seeds an empty store, upserts `papers` into it in one transaction, then syncs
 * the index from the store (which also finishes any earlier run that was killed half-way).
 */
export async function ingestPapers(
  incoming: readonly Paper[],
  target: IngestTarget,
  options: IngestRunOptions = {},
): Promise<IngestOutcome> {
  const logger = target.logger ?? silentLogger();
  if (options.dryRun) {
    const empty = target.store.count() === 0;
    const papers = adoptKnownIds(incoming, empty ? target.index.papers() : target.store.all());
    const change = target.store.plan(papers, empty ? (id) => target.index.get(id) : undefined);
    return { store: change, seeded: 0 };
  }
  const seeded = seedStoreIfEmpty(target.store, {
    indexed: target.index.papers(),
    corpus: target.seedCorpus,
    logger,
  });
  // A paper the store holds under another id (a bundled seed-NNN with this arXiv id) is updated there.
  const change = target.store.upsert(adoptKnownIds(incoming, target.store.all()));
  logger.info(
    {
      added: change.added.length,
      updated: change.updated.length,
      unchanged: change.unchanged,
    },
    'papers stored',
  );
  const index = await syncIndex(target.store, target.index, {
    onProgress: options.onProgress,
    batchSize: options.batchSize,
    logger,
  });
  return { store: change, seeded, index };
}
