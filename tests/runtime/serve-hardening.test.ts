import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthServer } from '../../src/runtime/health-server.ts';
import { createMetrics } from '../../src/runtime/metrics.ts';
import { installRejectionGuard } from '../../src/runtime/rejection-guard.ts';
import { FakeSlack, waitFor } from '../fakes/fake-slack.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { startServe } from '../helpers/serve-process.ts';
import { copyBundledIndex } from '../helpers/temp-index.ts';
import { signedPost } from '../slack/slack-harness.ts';

const children: ChildProcess[] = [];
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('serve survives hostile requests', () => {
  it('answers a signed payload=null with 400, stays healthy, and listens on 127.0.0.1 only', async () => {
    const slack = await new FakeSlack().listen();
    cleanups.push(() => slack.close());
    const index = copyBundledIndex();
    cleanups.push(index.cleanup);
    const { child, exited, stderr } = startServe('serve', {
      PAPERBOT_INDEX_DIR: index.dir,
      PAPERBOT_HTTP_PORT: '0',
      PAPERBOT_REFRESH_MINUTES: '0',
      SLACK_BOT_TOKEN: 'xoxb-serve-test',
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      SLACK_PORT: '0',
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: 'info',
    });
    children.push(child);
    await waitFor(() => stderr().includes('ready ('), 60_000);
    const healthPort = /\/healthz and \/metrics on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr())?.[1];
    // JSON log lines are written asynchronously: wait for the adapter's own line, not for `ready`.
    const started = await waitFor(
      () =>
        stderr()
          .split('\n')
          .filter((line) => line.startsWith('{') && line.endsWith('}'))
          .map((line) => JSON.parse(line) as { msg?: string; address?: { address: string; port: number } })
          .find((line) => line.msg === 'slack adapter started'),
      30_000,
    );
    expect(healthPort).toBeDefined();
    expect(started?.address?.address).toBe('127.0.0.1');
    const endpoint = `http://127.0.0.1:${started!.address!.port}/slack/events`;

    for (const [body, contentType] of [
      ['payload=null', 'application/x-www-form-urlencoded'],
      ['null', 'application/json'],
    ] as const) {
      const response = await signedPost(endpoint, body, { contentType });
      expect(response.status).toBe(400);
    }
    const health = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
    expect(metrics).toContain('paperbot_errors_total{component="unhandled-rejection"} 0');
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('rejection guard', () => {
  it('logs and counts a rejection nobody handled instead of ending the process', async () => {
    const source = new EventEmitter();
    const { logger, lines } = recordingLogger();
    const metrics = createMetrics({ processMetrics: false });
    const remove = installRejectionGuard(logger, metrics, source);
    source.emit('unhandledRejection', new TypeError("Cannot read properties of null (reading 'ssl_check')"));
    expect(lines.some((line) => String(line.msg).includes('unhandled rejection: '))).toBe(true);
    expect(await metrics.render()).toContain('paperbot_errors_total{component="unhandled-rejection"} 1');
    remove();
    expect(source.listenerCount('unhandledRejection')).toBe(0);
  });
});

describe('health server', () => {
  it('listens on 127.0.0.1 unless told otherwise', async () => {
    const server = createHealthServer({
      port: 0,
      checks: {},
      metrics: createMetrics({ processMetrics: false }),
      logger: recordingLogger().logger,
    });
    await server.start();
    cleanups.push(() => server.stop());
    expect(server.address()?.address).toBe('127.0.0.1');
  });
});
