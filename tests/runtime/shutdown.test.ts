import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { createShutdown } from '../../src/runtime/shutdown.ts';
import { createWorkQueue } from '../../src/runtime/work-queue.ts';
import { waitFor } from '../fakes/fake-slack.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { type JsonEventChild, startJsonChild } from '../helpers/json-child.ts';
import { copyBundledIndex } from '../helpers/temp-index.ts';

const RUN_TS = join(PACKAGE_ROOT, 'bin', 'run-ts.mjs');
const CHILD = join(PACKAGE_ROOT, 'tests', 'runtime', 'fixtures', 'shutdown-child.ts');
const CLI = join(PACKAGE_ROOT, 'bin', 'paperbot.mjs');

type Running = JsonEventChild;

const children: ChildProcess[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function start(args: string[], env: Record<string, string> = {}): Running {
  const running = startJsonChild(args, env);
  children.push(running.child);
  return running;
}

const names = (running: Running) => running.events.map((event) => event.event);

describe('clean shutdown', () => {
  it('on SIGTERM stops intake, lets the in-flight answer finish, then releases, and exits 0', async () => {
    const running = start([RUN_TS, CHILD, '60000']);
    await waitFor(() => names(running).includes('ready'), 30_000);
    running.child.kill('SIGTERM');
    const intake = await waitFor(() => running.events.find((event) => event.event === 'intake stopped'));
    expect(intake.newQuestion).toBe('BUSY');
    // The answer is still running: nothing has been released yet.
    expect(names(running)).not.toContain('database closed');
    running.child.stdin?.write('finish\n');
    expect(await running.exit).toBe(0);
    expect(names(running)).toEqual([
      'ready',
      'intake stopped',
      'answer finished',
      'scheduler stopped',
      'database closed',
      'shutdown complete',
    ]);
  });

  it('aborts an answer that outlives the drain deadline, still releases everything, and exits 1', async () => {
    const running = start([RUN_TS, CHILD, '50']);
    await waitFor(() => names(running).includes('ready'), 30_000);
    running.child.kill('SIGINT');
    expect(await running.exit).toBe(1);
    expect(running.events.find((event) => event.event === 'answer aborted')?.code).toBe('SHUTDOWN');
    expect(names(running).slice(-3)).toEqual(['scheduler stopped', 'database closed', 'shutdown complete']);
  });

  it('paperbot serve reports healthy, then on SIGTERM stops cleanly with exit code 0', async () => {
    const index = copyBundledIndex();
    cleanups.push(index.cleanup);
    const running = start([CLI, 'serve'], {
      PAPERBOT_INDEX_DIR: index.dir,
      PAPERBOT_HTTP_PORT: '0',
      PAPERBOT_REFRESH_MINUTES: '0',
      LOG_LEVEL: 'warn',
    });
    const port = await waitFor(() => /127\.0\.0\.1:(\d+)/.exec(running.stderr())?.[1], 60_000);
    await waitFor(() => running.stderr().includes('ready'), 60_000);
    expect(running.stderr()).toContain('Slack: off (set SLACK_BOT_TOKEN');
    expect(running.stderr()).toContain('Discord: off (set DISCORD_TOKEN');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', checks: { index: true, database: true } });
    expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain(
      'paperbot_questions_total',
    );
    running.child.kill('SIGTERM');
    expect(await running.exit).toBe(0);
    expect(running.stderr()).toContain('stopped (SIGTERM)');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('a second signal during shutdown forces the exit', async () => {
    const queue = createWorkQueue({ concurrency: 1, queueSize: 0 });
    void queue.run(() => new Promise(() => {}));
    const target = new EventEmitter();
    const forced: string[] = [];
    const shutdown = createShutdown({
      logger: recordingLogger().logger,
      queue,
      stopIntake: [],
      release: [],
      drainDeadlineMs: 60_000,
    });
    const remove = shutdown.onSignals((signal) => forced.push(signal), target);
    target.emit('SIGTERM', 'SIGTERM');
    expect(shutdown.started).toBe(true);
    target.emit('SIGINT', 'SIGINT');
    expect(forced).toEqual(['SIGINT']);
    remove();
    expect(target.listenerCount('SIGTERM')).toBe(0);
  });

  it('runs every release step even when one fails, and reports it', async () => {
    const done: string[] = [];
    const { logger, lines } = recordingLogger();
    const shutdown = createShutdown({
      logger,
      queue: createWorkQueue({ concurrency: 1, queueSize: 0 }),
      stopIntake: [{ name: 'slack', run: () => void done.push('slack') }],
      release: [
        {
          name: 'scheduler',
          run: () => {
            throw new Error('stuck');
          },
        },
        { name: 'database', run: () => void done.push('database') },
      ],
    });
    const report = await shutdown.run('test');
    expect(report).toEqual({ reason: 'test', drained: true, failedSteps: ['scheduler'] });
    expect(done).toEqual(['slack', 'database']);
    expect(lines.some((line) => line.level === 50 && line.step === 'scheduler')).toBe(true);
    expect(await shutdown.run('again')).toBe(report);
  });
});
