import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the fake feed server. */
export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Sends only this many bytes of `body` (with the full Content-Length), then drops the connection. */
  truncateAt?: number;
  /** Never answers (for timeouts); the connection is dropped when the server closes. */
  hang?: boolean;
}

/** A request the server received. */
export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export type FeedRoute = (request: RecordedRequest) => ScriptedResponse;

/**
 * A local HTTP server on 127.0.0.1 that replays recorded Hugging Face / arXiv responses.
 * One-shot responses queued with `enqueue` are served first (in order), then `route` answers.
 */
export class FeedServer {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: ScriptedResponse[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private route: FeedRoute,
  ) {}

  static async start(route: FeedRoute = () => ({ status: 404, body: 'not found' })): Promise<FeedServer> {
    let instance: FeedServer | undefined;
    const server = createServer((request, response) => instance?.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    instance = new FeedServer(server, `http://127.0.0.1:${port}`, route);
    return instance;
  }

  /** Serves these responses, one per request, before falling back to the route. */
  enqueue(...responses: ScriptedResponse[]): void {
    this.queue.push(...responses);
  }

  setRoute(route: FeedRoute): void {
    this.route = route;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.url);
    const recorded = { path: url.pathname, query: url.searchParams, headers: request.headers };
    this.requests.push(recorded);
    const scripted = this.queue.shift() ?? this.route(recorded);
    if (scripted.hang) return;
    const body = Buffer.from(scripted.body ?? '');
    response.writeHead(scripted.status ?? 200, {
      'content-type': 'application/json',
      ...scripted.headers,
      'content-length': String(body.length),
    });
    if (scripted.truncateAt !== undefined) {
      response.write(body.subarray(0, scripted.truncateAt), () => response.socket?.destroy());
      return;
    }
    response.end(body);
  }
}
