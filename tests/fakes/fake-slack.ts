import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** Identity the fake `auth.test` reports. */
export const FAKE_BOT = { userId: 'UBOT', botId: 'BBOT', teamId: 'T0001' } as const;

/** A workspace the app can be installed into through the fake `oauth.v2.access`. */
export interface FakeWorkspace {
  teamId: string;
  teamName?: string;
  /** The bot token `oauth.v2.access` grants; `auth.test` with it reports this workspace. */
  botToken: string;
  botUserId?: string;
  botId?: string;
}

/** The OAuth client the fake `oauth.v2.access` accepts. */
export const FAKE_OAUTH_CLIENT = { clientId: '1111.2222', clientSecret: 'fake-client-secret' } as const;

/** One Web API call the app made. */
export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  authorization?: string;
}

/** One POST to a `response_url`. */
export interface ResponsePost {
  id: string;
  body: Record<string, unknown>;
}

/** A message as stored by the fake (what `conversations.replies`/`history` return). */
export interface StoredMessage {
  ts: string;
  channel: string;
  text?: string;
  user?: string;
  bot_id?: string;
  thread_ts?: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export { waitFor } from '../helpers/wait-for.ts';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Web API arguments arrive form-encoded with JSON-valued fields (blocks, metadata) as strings. */
function parseArgs(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return body ? JSON.parse(body) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    args[key] = (key === 'blocks' || key === 'metadata') && /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return args;
}

/**
 * A local stand-in for Slack on 127.0.0.1: the Web API under `/api/` (enough of it for the
 * adapter), `response_url` endpoints under `/response/`, and a Socket Mode websocket at `/link`.
 */
export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponsePost[] = [];
  readonly messages: StoredMessage[] = [];
  /** Acks the app sent over Socket Mode, by envelope id. */
  readonly acks = new Map<string, Record<string, unknown>>();
  private readonly server: Server;
  private readonly sockets = new WebSocketServer({ noServer: true });
  private socket?: WebSocket;
  /** Authorization codes the fake `oauth.v2.access` exchanges, with the workspace each installs. */
  private readonly codes = new Map<string, FakeWorkspace>();
  /** Workspaces by bot token, for `auth.test`. */
  private readonly workspacesByToken = new Map<string, FakeWorkspace>();
  private nextTs = 1_700_000_000;
  private nextEnvelope = 1;

  constructor() {
    this.server = createServer((request, response) => {
      void this.handle(request).then(
        ({ status, body }) => {
          response.writeHead(status, { 'content-type': 'application/json' });
          response.end(JSON.stringify(body));
        },
        (error: Error) => {
          response.writeHead(500);
          response.end(error.message);
        },
      );
    });
    this.server.on('upgrade', (request, socket, head) => {
      this.sockets.handleUpgrade(request, socket, head, (ws) => {
        this.socket = ws;
        ws.on('message', (data) => {
          const ack = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
          if (ack.envelope_id) this.acks.set(ack.envelope_id, ack.payload ?? {});
        });
        ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0001' } }));
      });
    });
  }

  async listen(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Value for `SLACK_API_URL` / `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** A fresh `response_url` on this server. */
  responseUrl(id: string): string {
    return `${this.baseUrl}/response/${id}`;
  }

  /** Calls of one Web API method so far. */
  callsOf(method: string): ApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Adds a message (e.g. an earlier user turn) to a channel or thread. */
  seedMessage(message: Omit<StoredMessage, 'ts'> & { ts?: string }): StoredMessage {
    const stored = { ...message, ts: message.ts ?? this.newTs() };
    this.messages.push(stored);
    return stored;
  }

  /**
   * Makes `code` an authorization code that `oauth.v2.access` (with `FAKE_OAUTH_CLIENT`)
   * exchanges for an install of `workspace`, as Slack does after the user clicks Allow.
   */
  grantInstall(code: string, workspace: FakeWorkspace): void {
    this.codes.set(code, workspace);
  }

  /** True once an app is connected over Socket Mode. */
  get socketConnected(): boolean {
    return this.socket?.readyState === 1;
  }

  /** Sends a Socket Mode envelope; returns its envelope id (see `acks`). */
  sendEnvelope(
    type: 'events_api' | 'slash_commands' | 'interactive',
    payload: Record<string, unknown>,
  ): string {
    if (!this.socket) throw new Error('FakeSlack: no Socket Mode connection');
    const envelopeId = `env-${this.nextEnvelope++}`;
    this.socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
      }),
    );
    return envelopeId;
  }

  async close(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private newTs(): string {
    return `${this.nextTs++}.000100`;
  }

  private async handle(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(request.url ?? '/', this.baseUrl);
    const body = await readBody(request);
    if (url.pathname.startsWith('/response/')) {
      this.responses.push({ id: url.pathname.slice('/response/'.length), body: JSON.parse(body) });
      return { status: 200, body: { ok: true } };
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(body, request.headers['content-type']);
    this.calls.push({ method, args, authorization: request.headers.authorization });
    return { status: 200, body: this.answer(method, args, request.headers.authorization) };
  }

  private answer(
    method: string,
    args: Record<string, unknown>,
    authorization: string | undefined,
  ): Record<string, unknown> {
    const token = authorization?.replace(/^Bearer /, '') ?? String(args.token ?? '');
    switch (method) {
      case 'oauth.v2.access':
        return this.exchangeCode(args);
      case 'auth.test': {
        const workspace = this.workspacesByToken.get(token);
        if (workspace) {
          return {
            ok: true,
            user_id: workspace.botUserId ?? FAKE_BOT.userId,
            bot_id: workspace.botId ?? FAKE_BOT.botId,
            team_id: workspace.teamId,
            team: workspace.teamName ?? workspace.teamId,
            user: 'paperbot',
            url: `https://${workspace.teamId.toLowerCase()}.slack.test/`,
          };
        }
        return {
          ok: true,
          user_id: FAKE_BOT.userId,
          bot_id: FAKE_BOT.botId,
          team_id: FAKE_BOT.teamId,
          user: 'paperbot',
        };
      }
      case 'apps.connections.open':
        return { ok: true, url: `${this.baseUrl.replace('http', 'ws')}/link` };
      case 'chat.postMessage': {
        const stored = this.seedMessage({
          channel: String(args.channel),
          text: args.text as string | undefined,
          user: FAKE_BOT.userId,
          bot_id: FAKE_BOT.botId,
          thread_ts: args.thread_ts as string | undefined,
          blocks: args.blocks as unknown[] | undefined,
          metadata: args.metadata as StoredMessage['metadata'],
        });
        return { ok: true, channel: stored.channel, ts: stored.ts, message: stored };
      }
      case 'conversations.replies': {
        const thread = this.messages.filter(
          (message) =>
            message.channel === args.channel && (message.ts === args.ts || message.thread_ts === args.ts),
        );
        return { ok: true, messages: thread, has_more: false };
      }
      case 'conversations.history': {
        const withMetadata = args.include_all_metadata === 'true' || args.include_all_metadata === true;
        const history = this.messages
          .filter((message) => message.channel === args.channel)
          .reverse()
          .map(({ metadata, ...message }) => (withMetadata && metadata ? { ...message, metadata } : message));
        return { ok: true, messages: history.slice(0, Number(args.limit ?? 100)), has_more: false };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** `oauth.v2.access`: a granted code, once, for the right client, gives the workspace's bot token. */
  private exchangeCode(args: Record<string, unknown>): Record<string, unknown> {
    if (
      args.client_id !== FAKE_OAUTH_CLIENT.clientId ||
      args.client_secret !== FAKE_OAUTH_CLIENT.clientSecret
    ) {
      return { ok: false, error: 'invalid_client_id' };
    }
    const workspace = this.codes.get(String(args.code));
    if (!workspace) return { ok: false, error: 'invalid_code' };
    this.codes.delete(String(args.code));
    this.workspacesByToken.set(workspace.botToken, workspace);
    return {
      ok: true,
      app_id: 'A0001',
      authed_user: { id: 'UINSTALLER' },
      scope: 'app_mentions:read,chat:write,commands',
      token_type: 'bot',
      access_token: workspace.botToken,
      bot_user_id: workspace.botUserId ?? FAKE_BOT.userId,
      team: { id: workspace.teamId, name: workspace.teamName ?? workspace.teamId },
      enterprise: null,
      is_enterprise_install: false,
    };
  }
}
