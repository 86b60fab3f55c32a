import { afterEach, describe, expect, it } from 'vitest';
import { createHealthServer, type HealthServer } from '../../src/runtime/health-server.ts';
import { createMetrics } from '../../src/runtime/metrics.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';

let server: HealthServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function start(checks: Record<string, () => boolean>) {
  const metrics = createMetrics();
  server = createHealthServer({
    port: 0,
    host: '127.0.0.1',
    checks,
    metrics,
    logger: recordingLogger().logger,
  });
  await server.start();
  return { metrics, base: `http://127.0.0.1:${server.address()?.port}` };
}

describe('health server', () => {
  it('answers /healthz 200 with JSON when the index and database are loaded', async () => {
    const { base } = await start({ index: () => true, database: () => true });
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ status: 'ok', checks: { index: true, database: true } });
  });

  it('answers /healthz 503 naming the part that is not loaded (a throwing check counts as down)', async () => {
    let databaseOpen = false;
    const { base } = await start({
      index: () => true,
      database: () => databaseOpen,
      broken: () => {
        throw new Error('no');
      },
    });
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'unavailable',
      checks: { index: true, database: false, broken: false },
    });
    databaseOpen = true;
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
  });

  it('serves Prometheus text on /metrics with paperbot_ names', async () => {
    const { base, metrics } = await start({ index: () => true });
    metrics.question('ask', 'answered', 0.2);
    metrics.stage('retrieval', 0.05);
    metrics.stage('answer', 0.1);
    metrics.fallback('llm', 'LLM_TIMEOUT');
    metrics.fallback('query-embedding', 'embedding-unavailable');
    metrics.digestPosted('slack');
    metrics.queueDepth(2, 5);
    metrics.error('slack');
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    for (const expected of [
      'paperbot_questions_total{kind="ask",outcome="answered"} 1',
      'paperbot_stage_duration_seconds_count{stage="retrieval"} 1',
      'paperbot_stage_duration_seconds_count{stage="answer"} 1',
      'paperbot_stage_duration_seconds_count{stage="total"} 1',
      'paperbot_fallbacks_total{stage="llm",reason="LLM_TIMEOUT"} 1',
      'paperbot_fallbacks_total{stage="query-embedding",reason="embedding-unavailable"} 1',
      'paperbot_digests_posted_total{platform="slack"} 1',
      'paperbot_queue_depth 5',
      'paperbot_queue_running 2',
      'paperbot_errors_total{component="slack"} 1',
      '# TYPE paperbot_process_resident_memory_bytes gauge',
    ]) {
      expect(text).toContain(expected);
    }
    const names = text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split(/[{ ]/)[0]);
    expect(names.every((name) => name?.startsWith('paperbot_'))).toBe(true);
  });

  it('keeps each process on its own registry', async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.digestPosted('discord');
    expect(await first.render()).toContain('paperbot_digests_posted_total{platform="discord"} 1');
    expect(await second.render()).not.toContain('platform="discord"');
  });

  it('answers other paths with 404 and other methods with 405', async () => {
    const { base } = await start({});
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('rejects start when the port is taken', async () => {
    await start({});
    const port = server?.address()?.port ?? 0;
    const other = createHealthServer({
      port,
      host: '127.0.0.1',
      checks: {},
      metrics: createMetrics({ processMetrics: false }),
      logger: recordingLogger().logger,
    });
    await expect(other.start()).rejects.toThrow(/EADDRINUSE/);
  });
});
