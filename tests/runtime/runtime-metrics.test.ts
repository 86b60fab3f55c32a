import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { LocalEmbeddings } from '../../src/embeddings/local-embeddings.ts';
import type { PaperEmbeddings } from '../../src/embeddings/types.ts';
import { silentLogger } from '../../src/logger.ts';
import { countedSender } from '../../src/runtime/counted-sender.ts';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.ts';
import { createMetrics } from '../../src/runtime/metrics.ts';
import { RecordingDigestSender } from '../fakes/recording-digest-sender.ts';
import { copyBundledIndex } from '../helpers/temp-index.ts';

/** Local embeddings whose query embedding can be made to hang (documents are unaffected). */
function stallableEmbeddings(): PaperEmbeddings & { stall: boolean } {
  const local = new LocalEmbeddings();
  const wrapper = Object.create(local) as PaperEmbeddings & { stall: boolean };
  wrapper.stall = false;
  wrapper.embedQuery = (text: string) =>
    wrapper.stall ? new Promise<number[]>(() => {}) : local.embedQuery(text);
  return wrapper;
}

const metrics = createMetrics({ processMetrics: false });
const embeddings = stallableEmbeddings();
let runtime: Runtime;
let cleanup: () => void;

beforeAll(async () => {
  const index = copyBundledIndex();
  cleanup = index.cleanup;
  runtime = await createRuntime(
    loadConfig({ PAPERBOT_INDEX_DIR: index.dir, PAPERBOT_EMBED_TIMEOUT_MS: '50' }),
    silentLogger(),
    {
      embeddings,
      onStage: (stage, seconds) => metrics.stage(stage, seconds),
      onRetrievalFallback: () => metrics.fallback('query-embedding', 'embedding-unavailable'),
    },
  );
});

afterAll(async () => {
  await runtime?.close();
  cleanup?.();
});

const value = (text: string, prefix: string) =>
  Number(
    text
      .split('\n')
      .find((line) => line.startsWith(prefix))
      ?.slice(prefix.length)
      .trim(),
  );

describe('runtime metrics hooks', () => {
  it('times the retrieval and answer stages of every question', async () => {
    await runtime.bot.ask('what do intermediate layers encode?');
    const text = await metrics.render();
    expect(value(text, 'paperbot_stage_duration_seconds_count{stage="retrieval"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'paperbot_stage_duration_seconds_count{stage="answer"}')).toBeGreaterThanOrEqual(1);
  });

  it('counts a query-embedding timeout as a fallback and still answers lexically', async () => {
    const fallbacks = async () =>
      value(
        await metrics.render(),
        'paperbot_fallbacks_total{stage="query-embedding",reason="embedding-unavailable"}',
      ) || 0;
    // Counted as a difference: a real embedding slower than the 50 ms deadline elsewhere (a busy
    // machine) must not change what this test sees; the stalled one below always times out.
    const before = await fallbacks();
    embeddings.stall = true;
    try {
      const answer = await runtime.bot.ask('successor heads increment Monday to Tuesday');
      expect(answer.sources.length).toBeGreaterThan(0);
    } finally {
      embeddings.stall = false;
    }
    expect((await fallbacks()) - before).toBe(1);
  });
});

describe('counted digest sender', () => {
  it('counts delivered digests by platform and failed sends as digest errors', async () => {
    const own = createMetrics({ processMetrics: false });
    const recording = new RecordingDigestSender('slack');
    recording.failures.push(new Error('channel_not_found'));
    const sender = countedSender(recording, own);
    const destination = {
      id: 'slack:C1',
      platform: 'slack' as const,
      channelId: 'C1',
      cron: '0 9 * * *',
      timeZone: 'UTC',
    };
    const digest = { title: 'Trending', date: '2026-06-01', items: [] };
    await expect(sender.send(destination, digest, 'key-1')).rejects.toThrow('channel_not_found');
    await sender.send(destination, digest, 'key-1');
    expect(await sender.wasDelivered(destination, 'key-1')).toBe(true);
    const text = await own.render();
    expect(value(text, 'paperbot_digests_posted_total{platform="slack"}')).toBe(1);
    expect(value(text, 'paperbot_errors_total{component="digest"}')).toBe(1);
  });
});
