import { describe, expect, it } from 'vitest';
import { hasCode, PaperbotError } from '../../src/errors.ts';
import { createMetrics } from '../../src/runtime/metrics.ts';
import { createQueuedBot } from '../../src/runtime/queued-bot.ts';
import { BUSY_MESSAGE, createWorkQueue } from '../../src/runtime/work-queue.ts';
import { FakeBot } from '../fakes/fake-bot.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { gate } from '../helpers/gate.ts';

function metricLine(text: string, prefix: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(prefix.length).trim());
}

describe('queued bot', () => {
  it('tells the caller the bot is busy when the queue is full, and counts each outcome', async () => {
    const held = gate();
    const inner = new FakeBot({ hold: held.promise });
    const metrics = createMetrics({ processMetrics: false });
    const queue = createWorkQueue({
      concurrency: 1,
      queueSize: 1,
      onDepthChange: (running, waiting) => metrics.queueDepth(running, waiting),
    });
    const { logger } = recordingLogger();
    const bot = createQueuedBot(inner, { queue, metrics, logger });
    const first = bot.ask('what do intermediate layers encode?');
    const second = bot.ask('and the last layer?');
    const depth = await metrics.render();
    expect(metricLine(depth, 'paperbot_queue_running')).toBe(1);
    expect(metricLine(depth, 'paperbot_queue_depth')).toBe(1);
    const busy = await bot.ask('one more?').catch((error: unknown) => error);
    expect(hasCode(busy, 'BUSY')).toBe(true);
    expect((busy as Error).message).toBe(BUSY_MESSAGE);
    held.open();
    expect((await first).answer).toContain('intermediate layers');
    await second;
    await expect(bot.ask('   ')).rejects.toThrow(PaperbotError);
    const text = await metrics.render();
    expect(metricLine(text, 'paperbot_questions_total{kind="ask",outcome="answered"}')).toBe(2);
    expect(metricLine(text, 'paperbot_questions_total{kind="ask",outcome="busy"}')).toBe(1);
    expect(metricLine(text, 'paperbot_questions_total{kind="ask",outcome="invalid"}')).toBe(1);
    expect(metricLine(text, 'paperbot_stage_duration_seconds_count{stage="total"}')).toBe(2);
    expect(metricLine(text, 'paperbot_queue_depth')).toBe(0);
  });

  it('logs every question with its own request id, and counts core failures as errors', async () => {
    const inner = new FakeBot({ askError: new Error('index exploded') });
    const metrics = createMetrics({ processMetrics: false });
    const { logger, lines } = recordingLogger();
    let next = 0;
    const bot = createQueuedBot(inner, {
      queue: createWorkQueue({ concurrency: 2, queueSize: 2 }),
      metrics,
      logger,
      requestId: () => `req-${++next}`,
    });
    await expect(bot.ask('first?')).rejects.toThrow('index exploded');
    await expect(bot.ask('second?')).rejects.toThrow('index exploded');
    const failures = lines.filter((line) => line.level === 50);
    expect(failures.map((line) => line.requestId)).toEqual(['req-1', 'req-2']);
    const text = await metrics.render();
    expect(metricLine(text, 'paperbot_questions_total{kind="ask",outcome="error"}')).toBe(2);
    expect(metricLine(text, 'paperbot_errors_total{component="core"}')).toBe(2);
  });

  it('runs search through the queue and passes trending and paper count straight through', async () => {
    const held = gate();
    const inner = new FakeBot({ hold: held.promise });
    const bot = createQueuedBot(inner, {
      queue: createWorkQueue({ concurrency: 1, queueSize: 0 }),
      logger: recordingLogger().logger,
    });
    const searching = bot.search('embeddings', { k: 1 });
    expect(hasCode(await bot.ask('blocked?').catch((error: unknown) => error), 'BUSY')).toBe(true);
    held.open();
    expect((await searching).map((hit) => hit.paper.id)).toEqual(['2401.00001']);
    expect(inner.searches[0]?.options?.signal).toBeInstanceOf(AbortSignal);
    expect(await bot.paperCount()).toBe(2);
    expect((await bot.trendingDigest({ date: '2026-07-01' })).date).toBe('2026-07-01');
  });
});
