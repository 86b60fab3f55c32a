import type { Leadership } from '../coordination/leadership.ts';
import { createFeedRefresh } from '../ingest/feed-refresh.ts';
import { createHttpClient } from '../ingest/http-client.ts';
import { HuggingFaceClient } from '../ingest/hugging-face-client.ts';
import { createRefreshScheduler } from '../ingest/refresh-scheduler.ts';
import type { Logger } from '../logger.ts';
import type { Runtime } from './create-runtime.ts';
import type { ShutdownStep } from './shutdown.ts';

/** How often a replica on PostgreSQL checks the papers table for papers another process added. */
export const CORPUS_CHECK_MS = 5_000;

/**
 * The feed refresh of `serve`, run only while this process is the leader: elected at once when
 * alone (embedded store), else when it wins the advisory lock among the replicas. Returns the
 * leadership (for tests and logs) and the shutdown step that stops both. Writes progress to `err`.
 */
export async function startLeaderRefresh(
  runtime: Runtime,
  logger: Logger,
  err: (text: string) => void,
): Promise<{ leadership: Leadership; release: ShutdownStep }> {
  const { config } = runtime;
  const refreshFeeds = createFeedRefresh({
    huggingFace: new HuggingFaceClient({
      baseUrl: config.hfApiUrl,
      http: createHttpClient({ logger }),
      logger,
    }),
    ingest: (papers) => runtime.ingest(papers),
    logger,
  });
  const refresh = createRefreshScheduler({
    intervalMinutes: config.refreshMinutes,
    logger,
    run: refreshFeeds,
  });
  // A refresh stuck in retry backoff must not hold up shutdown; its writes are atomic anyway.
  const stopRefresh = () =>
    Promise.race([refresh.stop(), new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]);
  const leadership = runtime.leadership({
    onElected: () => {
      err(
        `paperbot serve: leader: feed refresh every ${config.refreshMinutes} min from ${config.hfApiUrl}\n`,
      );
      refresh.start();
    },
    onDeposed: (reason) => {
      err(`paperbot serve: no longer the leader (${reason}): feed refresh paused\n`);
      void stopRefresh();
    },
  });
  await leadership.start();
  if (!leadership.isLeader) {
    err('paperbot serve: follower: another replica runs the feed refresh; taking over if it goes away\n');
  }
  return {
    leadership,
    release: {
      name: 'feed refresh',
      run: async () => {
        await stopRefresh();
        await leadership.stop();
      },
    },
  };
}
