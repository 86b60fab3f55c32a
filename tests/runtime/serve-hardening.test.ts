import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthServer } from '../../src/runtime/health-server.ts';
import { createMetrics } from '../../src/runtime/metrics.ts';
import { installRejectionGuard } from '../../src/runtime/rejection-guard.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { startSlackServe } from '../helpers/serve-process.ts';
import { signedPost } from '../slack/slack-harness.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('serve survives hostile requests', () => {
  it('answers a signed payload=null with 400, stays healthy, and listens on 127.0.0.1 only', async () => {
    const { serve, slackAddress } = await startSlackServe({
      PAPERBOT_HTTP_PORT: '0',
      SLACK_BOT_TOKEN: 'xoxb-serve-test',
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      LOG_LEVEL: 'info',
    });
    const { child, exited, stderr } = serve;
    const healthPort = /\/healthz and \/metrics on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr())?.[1];
    expect(healthPort).toBeDefined();
    expect(slackAddress.address).toBe('127.0.0.1');
    const endpoint = `http://127.0.0.1:${slackAddress.port}/slack/events`;

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
