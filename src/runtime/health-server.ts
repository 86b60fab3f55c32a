import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from './metrics.ts';

/**
 * One readiness check: true when the part is loaded and usable. A throw or rejection counts as
 * false, and so does a promise that has not settled within `CHECK_TIMEOUT_MS`.
 */
export type HealthCheck = () => boolean | Promise<boolean>;

/** How long `/healthz` waits for one asynchronous check (a database round trip). */
export const CHECK_TIMEOUT_MS = 2_000;

export interface HealthServerOptions {
  /** `PAPERBOT_HTTP_PORT`; 0 picks a free port (see `address()`). */
  port: number;
  /** Interface to listen on (`PAPERBOT_HTTP_HOST`; default 127.0.0.1, loopback only). */
  host?: string;
  /** Named readiness checks; `/healthz` is 200 only when every one passes. */
  checks: Record<string, HealthCheck>;
  metrics: Metrics;
  logger: Logger;
}

export interface HealthServer {
  /** Starts listening; rejects when the port is taken. */
  start(): Promise<void>;
  /** Stops listening and closes open connections. Safe to call twice. */
  stop(): Promise<void>;
  /** The bound address once started. */
  address(): AddressInfo | undefined;
}

async function runCheck(check: HealthCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([Promise.resolve().then(check), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /healthz`: 200 `{"status":"ok",...}` when every check passes, else 503 with the failing
 * ones; `GET /metrics`: Prometheus text. Anything else is 404.
 */
export function createHealthServer(options: HealthServerOptions): HealthServer {
  const logger = options.logger.child({ component: 'http' });
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' })
        .end('method not allowed\n');
      return;
    }
    if (path === '/healthz') {
      const names = Object.keys(options.checks);
      void Promise.all(Object.values(options.checks).map(runCheck)).then((results) => {
        const checks = Object.fromEntries(names.map((name, position) => [name, results[position]]));
        const ok = results.every(Boolean);
        const body = JSON.stringify({ status: ok ? 'ok' : 'unavailable', checks });
        response.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(`${body}\n`);
      });
      return;
    }
    if (path === '/metrics') {
      options.metrics.render().then(
        (text) => response.writeHead(200, { 'content-type': options.metrics.contentType }).end(text),
        (error: unknown) => {
          options.metrics.error('http');
          logger.error({ err: error }, `metrics rendering failed: ${describeError(error)}`);
          response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
        },
      );
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
  });
  let listening = false;
  return {
    async start() {
      server.listen(options.port, options.host ?? '127.0.0.1');
      // Rejects with the 'error' event (port taken) instead.
      await once(server, 'listening');
      listening = true;
      logger.info({ address: server.address() }, 'health and metrics server listening');
    },
    async stop() {
      if (!listening) return;
      listening = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
    address() {
      const address = server.address();
      return address && typeof address === 'object' ? address : undefined;
    },
  };
}
