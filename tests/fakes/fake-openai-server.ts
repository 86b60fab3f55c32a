import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received, with its parsed JSON body. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are inspected freely by tests.
  body: any;
}

/** What the fake answers to one request. */
export interface FakeReply {
  /** HTTP status, default 200. */
  status?: number;
  /** JSON body. */
  body?: unknown;
  /** Never answer (until the server closes): a model that is too slow. */
  hang?: boolean;
  /** Answer only once this settles: a delay controlled by the test, not by a clock. */
  after?: Promise<unknown>;
}

export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

/** How a fake completion ended: `length` for one cut at the token limit, with its token count. */
export interface CompletionEnd {
  finishReason?: 'stop' | 'length';
  completionTokens?: number;
}

/** A chat completion response as OpenAI returns it, with `content` as the assistant message. */
export function chatCompletion(content: string, model = 'fake-chat-model', end: CompletionEnd = {}): unknown {
  const completionTokens = end.completionTokens ?? 10;
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        logprobs: null,
        finish_reason: end.finishReason ?? 'stop',
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: completionTokens, total_tokens: 10 + completionTokens },
  };
}

/** An OpenAI error body, e.g. for a 500. */
export function errorBody(message: string, type = 'server_error'): unknown {
  return { error: { message, type, param: null, code: null } };
}

/** A deterministic vector for `text`: the same text always gets the same vector. */
export function fakeVector(text: string, dimensions: number): number[] {
  let seed = 2166136261;
  for (const char of text) seed = Math.imul(seed ^ char.charCodeAt(0), 16777619) >>> 0;
  return Array.from({ length: dimensions }, (_, index) => (((seed >>> (index % 24)) & 0xff) + index) / 256);
}

/**
 * A local OpenAI-compatible server on 127.0.0.1 for the real `openai` SDK: `POST
 * /v1/chat/completions` and `POST /v1/embeddings`, scriptable per test, recording every request.
 * Chat replies come from `replyChat` (in order) or `onChat`; without either it answers 500.
 * Embeddings default to `fakeVector` of `embeddingDimensions` (or the request's `dimensions`).
 */
export class FakeOpenAIServer {
  readonly requests: RecordedRequest[] = [];
  /** Vector length of the default embeddings handler. */
  embeddingDimensions = 8;
  private readonly chatReplies: string[] = [];
  private chatHandler?: FakeHandler;
  private embeddingsHandler?: FakeHandler;
  private readonly waiters: { done: () => boolean; resolve: () => void }[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeOpenAIServer> {
    let fake: FakeOpenAIServer | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        void fake!.handle(
          request.method ?? 'GET',
          request.url ?? '/',
          request.headers,
          Buffer.concat(chunks),
          response,
        );
      });
    });
    fake = new FakeOpenAIServer(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** Base URL to give the SDK, including `/v1`. */
  get baseURL(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  /** Queues assistant replies for the next chat requests, one each. */
  replyChat(...contents: string[]): void {
    this.chatReplies.push(...contents);
  }

  onChat(handler: FakeHandler): void {
    this.chatHandler = handler;
  }

  onEmbeddings(handler: FakeHandler): void {
    this.embeddingsHandler = handler;
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.path === '/v1/chat/completions');
  }

  embeddingRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.path === '/v1/embeddings');
  }

  /** Resolves once at least `count` requests have arrived. */
  waitForRequests(count: number): Promise<void> {
    return new Promise((resolve) => {
      const waiter = { done: () => this.requests.length >= count, resolve };
      if (waiter.done()) resolve();
      else this.waiters.push(waiter);
    });
  }

  /** Stops listening and drops every open connection, hanging ones included. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  private async handle(
    method: string,
    url: string,
    headers: IncomingHttpHeaders,
    raw: Buffer,
    response: ServerResponse,
  ): Promise<void> {
    const path = url.split('?')[0]!;
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      body = raw.toString('utf8');
    }
    const recorded: RecordedRequest = { method, path, headers, body };
    this.requests.push(recorded);
    for (const waiter of this.waiters.filter((candidate) => candidate.done())) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }

    let reply: FakeReply;
    if (method === 'POST' && path === '/v1/chat/completions') {
      reply = await this.chatReply(recorded);
    } else if (method === 'POST' && path === '/v1/embeddings') {
      reply = this.embeddingsHandler
        ? await this.embeddingsHandler(recorded)
        : this.defaultEmbeddings(recorded);
    } else {
      reply = { status: 404, body: errorBody(`No route ${method} ${path}`, 'invalid_request_error') };
    }
    if (reply.hang) return;
    if (reply.after) await reply.after;
    if (response.destroyed) return;
    response.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(reply.body ?? {}));
  }

  private async chatReply(recorded: RecordedRequest): Promise<FakeReply> {
    if (this.chatHandler) return this.chatHandler(recorded);
    const content = this.chatReplies.shift();
    if (content === undefined) return { status: 500, body: errorBody('The fake has no reply queued') };
    return { body: chatCompletion(content, recorded.body?.model) };
  }

  private defaultEmbeddings(recorded: RecordedRequest): FakeReply {
    const inputs: string[] = Array.isArray(recorded.body.input) ? recorded.body.input : [recorded.body.input];
    const dimensions: number = recorded.body.dimensions ?? this.embeddingDimensions;
    const base64 = recorded.body.encoding_format === 'base64';
    const data = inputs.map((input, index) => {
      const vector = fakeVector(input, dimensions);
      const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    });
    return {
      body: {
        object: 'list',
        data,
        model: recorded.body.model,
        usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
      },
    };
  }
}
