import { type Clock, systemClock } from '../clock.ts';
import type { Paper } from '../corpus/paper.ts';
import { type Logger, silentLogger } from '../logger.ts';
import type { PaperIndex } from '../retrieval/paper-index.ts';
import type { PaperStore } from '../storage/paper-store.ts';
import { daysBetween, type FailedRequest, fetchHuggingFaceDays } from './feed-fetch.ts';
import type { HuggingFaceClient } from './hugging-face-client.ts';
import { type IngestOutcome, type IngestTarget, ingestPapers } from './ingest-papers.ts';

export interface FeedRefreshOptions {
  huggingFace: HuggingFaceClient;
  /** The embedded store and index to ingest into (unless `ingest` is given). */
  store?: PaperStore;
  index?: PaperIndex;
  /** Ingests the fetched papers elsewhere (PostgreSQL); replaces `store` and `index`. */
  ingest?: (papers: readonly Paper[]) => Promise<IngestOutcome>;
  clock?: Clock;
  logger?: Logger;
  /** Days before today to re-read each time, so upvotes of recent days stay fresh (default 2). */
  lookbackDays?: number;
  /** The corpus an empty store is seeded with (default: the bundled one). */
  seedCorpus?: IngestTarget['seedCorpus'];
}

/** What one refresh did. */
export interface RefreshOutcome {
  days: string[];
  fetched: number;
  added: number;
  updated: number;
  skipped: number;
  failed: FailedRequest[];
}

/**
 * One refresh for the long-running process: reads the last few Daily-Papers days (today UTC and
 * `lookbackDays` before) and ingests them; the index in memory is updated in place, so the chat
 * adapters see new papers without a restart. Pass it as `run` to `createRefreshScheduler`.
 */
export function createFeedRefresh(options: FeedRefreshOptions): () => Promise<RefreshOutcome> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger();
  const lookback = options.lookbackDays ?? 2;
  const { store, index } = options;
  const ingestInto = (papers: readonly Paper[]): Promise<IngestOutcome> => {
    if (options.ingest) return options.ingest(papers);
    if (!store || !index) throw new Error('createFeedRefresh needs `ingest`, or `store` and `index`');
    return ingestPapers(papers, { store, index, logger, seedCorpus: options.seedCorpus });
  };
  return async () => {
    const now = clock.now();
    const today = new Date(now).toISOString().slice(0, 10);
    const since = new Date(now - lookback * 86_400_000).toISOString().slice(0, 10);
    const days = daysBetween(since, today);
    const report = await fetchHuggingFaceDays(options.huggingFace, days);
    for (const failure of report.failed) logger.warn(failure, 'feed request failed');
    const outcome = await ingestInto(report.papers);
    return {
      days,
      fetched: report.fetched,
      added: outcome.store.added.length,
      updated: outcome.store.updated.length,
      skipped: report.skipped.length,
      failed: report.failed,
    };
  };
}
