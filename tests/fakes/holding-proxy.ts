import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does with a request matching its `hold` rule: `forward-then-hold` passes it on
 * (the platform stores the message) and never answers the client; `hold` neither passes it on nor
 * answers. Lets a test SIGKILL a client exactly between posting and recording.
 */
export type HoldMode = 'forward-then-hold' | 'hold';

/** An HTTP proxy on 127.0.0.1 in front of a local fake, holding the requests a test picks. */
export class HoldingProxy {
  /** Requests that matched the rule and were held, in order. */
  readonly held: { method: string; path: string }[] = [];

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
    rule: { method: string; path: RegExp; mode: HoldMode },
  ) {
    server.on('request', (incoming, response) => {
      const path = incoming.url ?? '/';
      const matches = incoming.method === rule.method && rule.path.test(path);
      if (matches && rule.mode === 'hold') {
        this.held.push({ method: incoming.method ?? '', path });
        incoming.resume();
        return;
      }
      const outgoing = httpRequest(
        {
          host: this.target.hostname,
          port: this.target.port,
          method: incoming.method,
          path,
          headers: { ...incoming.headers, host: this.target.host },
        },
        (answer) => {
          if (matches) {
            // Delivered at the platform; the client never hears back.
            answer.resume();
            answer.on('end', () => this.held.push({ method: incoming.method ?? '', path }));
            return;
          }
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      outgoing.on('error', (error) => response.writeHead(502).end(String(error)));
      incoming.pipe(outgoing);
    });
  }

  /** Starts a proxy to `target` (e.g. `http://127.0.0.1:PORT`) holding `method` requests to `path`. */
  static async start(
    target: string,
    rule: { method: string; path: RegExp; mode: HoldMode },
  ): Promise<HoldingProxy> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new HoldingProxy(server, new URL(target), rule);
  }

  /** `http://127.0.0.1:PORT` of the proxy. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
