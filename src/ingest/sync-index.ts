import type { Paper } from '../corpus/paper.ts';
import { type Logger, silentLogger } from '../logger.ts';
import type { PaperIndex } from '../retrieval/paper-index.ts';
import { canonicalJson, type PaperStore } from '../storage/paper-store.ts';

/** What a sync changed in the index. */
export interface SyncResult {
  /** Papers embedded for the first time. */
  added: number;
  /** Papers re-embedded because their title or abstract changed. */
  reembedded: number;
  /** Papers whose stored fields (upvotes, links...) were refreshed without embedding. */
  refreshed: number;
  /** Papers removed from the index because the store no longer has them. */
  removed: number;
}

export interface SyncOptions {
  /** Papers embedded per index save (default 256): a kill loses at most one batch of work. */
  batchSize?: number;
  /** Called with papers embedded so far and the number to embed. */
  onProgress?: (done: number, total: number) => void;
  logger?: Logger;
}

/**
 * Makes the index agree with the store (the source of truth): embeds papers missing from the
 * index or whose content hash differs, refreshes the fields of the others, and removes papers
 * the store lacks. Each batch is saved atomically by the index, so after a kill at any point the
 * next sync finishes the work; running it twice in a row changes nothing the second time.
 */
export async function syncIndex(
  store: PaperStore,
  index: PaperIndex,
  options: SyncOptions = {},
): Promise<SyncResult> {
  const logger = options.logger ?? silentLogger();
  await index.reloadIfChanged();
  const result: SyncResult = { added: 0, reembedded: 0, refreshed: 0, removed: 0 };
  const hashes = store.contentHashes();
  const toEmbed: Paper[] = [];
  const toRefresh: Paper[] = [];
  for (const paper of store.all()) {
    const indexedHash = index.hashOf(paper.id);
    if (indexedHash === undefined) {
      result.added++;
      toEmbed.push(paper);
    } else if (indexedHash !== hashes.get(paper.id)) {
      result.reembedded++;
      toEmbed.push(paper);
    } else if (canonicalJson(index.get(paper.id)) !== canonicalJson(paper)) {
      result.refreshed++;
      toRefresh.push(paper);
    }
  }
  const stale = index
    .papers()
    .map((paper) => paper.id)
    .filter((id) => !hashes.has(id));
  if (stale.length > 0) result.removed = await index.remove(stale);
  if (toRefresh.length > 0) await index.upsert(toRefresh);
  const batchSize = Math.max(1, options.batchSize ?? 256);
  options.onProgress?.(0, toEmbed.length);
  for (let start = 0; start < toEmbed.length; start += batchSize) {
    const batch = toEmbed.slice(start, start + batchSize);
    await index.upsert(batch, {
      onProgress: (done) => options.onProgress?.(start + done, toEmbed.length),
    });
  }
  if (toEmbed.length + toRefresh.length + stale.length > 0) {
    logger.info({ ...result, indexSize: index.size }, 'index synced with the paper store');
  }
  return result;
}
