import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway, type FakeGatewayOptions } from './fake-discord-gateway.ts';
import {
  IDS,
  messagePayload,
  PERMISSIONS,
  type StoredMessage,
  slashCommandPayload,
  user,
} from './fake-discord-payloads.ts';
import { type Body, discordRoutes } from './fake-discord-routes.ts';

export { IDS, PERMISSIONS, type StoredMessage };

/** One REST request the client made. */
export interface RestRequest {
  method: string;
  /** Decoded path below `/api/v10`, e.g. `/channels/1/messages`. */
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
  authorization?: string;
  /** `Date.now()` on arrival. */
  at: number;
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  retryAfterSeconds?: number;
  /** Matching requests to let through first. */
  skip: number;
}

export { waitFor } from '../helpers/wait-for.ts';

async function readBody(request: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
}

/**
 * A local Discord: REST under `/api/v10` (gateway info, channels, messages, threads, interaction
 * callbacks, webhooks, command registration) and a gateway at `/gateway`, on 127.0.0.1.
 */
export class FakeDiscord {
  readonly requests: RestRequest[] = [];
  readonly gateway: FakeGateway;
  readonly messages = new Map<string, StoredMessage[]>();
  readonly channels = new Map<string, Record<string, unknown>>();
  /** Commands as last registered, per route (`global` or the guild id). */
  readonly registered = new Map<string, unknown>();
  /** The `general` text channel of each guild the bot is in. */
  readonly generalChannels = new Map<string, string>();
  private readonly failures: Failure[] = [];
  private nextId = 500_000_000_000_000_000n;

  private constructor(
    private readonly http: Server,
    /** What the gateway was started with (also `GET /gateway/bot`'s shards and concurrency). */
    readonly gatewayOptions: FakeGatewayOptions,
  ) {
    const guildIds = gatewayOptions.guildIds ?? [IDS.guild];
    for (const guildId of guildIds) {
      const general = guildId === IDS.guild ? IDS.general : this.newId();
      this.generalChannels.set(guildId, general);
      this.addChannel(general, 'general', guildId);
      if (guildId === IDS.guild) this.addChannel(IDS.digests, 'digests', guildId);
    }
    this.gateway = new FakeGateway(
      http,
      () => `ws://127.0.0.1:${this.port}/gateway`,
      {
        botUser: { id: IDS.bot, username: 'paperbot' },
        applicationId: IDS.application,
        guilds: () => guildIds.map((guildId) => this.guild(guildId)),
      },
      gatewayOptions,
    );
    http.on('request', (request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500).end(String(error));
      });
    });
  }

  static async start(gatewayOptions: FakeGatewayOptions = {}): Promise<FakeDiscord> {
    const http = createServer();
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    return new FakeDiscord(http, gatewayOptions);
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** REST base for `rest.api` / `DISCORD_API_URL`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /**
   * Makes one request matching `method` and `path` fail with `status` (429 with `Retry-After`
   * when `retryAfterSeconds` is set): the next one, or the one after `skip` matching requests.
   */
  failNext(
    method: string,
    path: RegExp,
    status: number,
    options: { retryAfterSeconds?: number; skip?: number } = {},
  ): void {
    this.failures.push({
      method,
      path,
      status,
      retryAfterSeconds: options.retryAfterSeconds,
      skip: options.skip ?? 0,
    });
  }

  requestsTo(method: string, path: RegExp): RestRequest[] {
    return this.requests.filter((request) => request.method === method && path.test(request.path));
  }

  newId(): string {
    this.nextId += 1n;
    return String(this.nextId);
  }

  private addChannel(id: string, name: string, guildId: string): void {
    this.channels.set(id, { id, type: 0, name, guild_id: guildId, position: 0, permission_overwrites: [] });
  }

  guild(guildId: string = IDS.guild): Record<string, unknown> {
    return {
      id: guildId,
      name: guildId === IDS.guild ? 'Papers' : `Papers ${guildId}`,
      owner_id: IDS.admin,
      unavailable: false,
      member_count: 2,
      roles: [{ id: guildId, name: '@everyone', permissions: PERMISSIONS.plain, position: 0, color: 0 }],
      channels: [...this.channels.values()].filter(
        (channel) => channel.type === 0 && channel.guild_id === guildId,
      ),
      threads: [],
      members: [],
      emojis: [],
      stickers: [],
      features: [],
    };
  }

  /** Stores a message as the platform would and returns it. */
  store(channelId: string, fields: Record<string, unknown>): StoredMessage {
    const message = messagePayload(this.newId(), channelId, fields);
    const list = this.messages.get(channelId) ?? [];
    list.push(message);
    this.messages.set(channelId, list);
    return message;
  }

  /** A user posts `content` in `channelId` (MESSAGE_CREATE), mentioning the bot when asked to. */
  userMessage(channelId: string, content: string, options: { mentionBot?: boolean; userId?: string } = {}) {
    const author = user(options.userId ?? IDS.member, 'reader');
    const message = this.store(channelId, {
      guild_id: this.channels.get(channelId)?.guild_id ?? IDS.guild,
      author,
      member: { roles: [], joined_at: '2026-01-01T00:00:00.000Z', deaf: false, mute: false },
      content: options.mentionBot ? `<@${IDS.bot}> ${content}` : content,
      mentions: options.mentionBot ? [user(IDS.bot, 'paperbot', true)] : [],
    });
    this.gateway.send('MESSAGE_CREATE', message);
    return message;
  }

  /**
   * An INTERACTION_CREATE for a chat-input command, sent to the shard of its guild (`guildId`,
   * default `IDS.guild`; the channel defaults to that guild's `general`); `omit` drops top-level
   * fields (malformed). `shard` is where it went (undefined: that shard is not connected).
   */
  slashCommand(
    name: string,
    options: Record<string, string | number | boolean> = {},
    extra: {
      userId?: string;
      permissions?: string;
      channelId?: string;
      guildId?: string;
      omit?: string[];
    } = {},
  ): { id: string; token: string; shard: number | undefined } {
    const id = this.newId();
    const token = `interaction-token-${id}`;
    const guildId = extra.guildId ?? IDS.guild;
    const channelId = extra.channelId ?? this.generalChannels.get(guildId) ?? IDS.general;
    const payload = slashCommandPayload({
      id,
      token,
      name,
      options,
      channel: this.channels.get(channelId),
      ...extra,
      channelId,
      guildId,
    });
    for (const field of extra.omit ?? []) delete payload[field];
    const shard = this.gateway.send('INTERACTION_CREATE', payload);
    return { id, token, shard };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const method = request.method ?? 'GET';
    const body = await readBody(request);
    const authorization = request.headers.authorization;
    this.requests.push({ method, path, query: url.searchParams, body, authorization, at: Date.now() });
    const json = (status: number, value?: unknown, headers: Record<string, string> = {}) => {
      if (value === undefined) return void response.writeHead(status, headers).end();
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(value));
    };
    const failure = this.failures.find((item) => item.method === method && item.path.test(path));
    if (failure && failure.skip > 0) failure.skip--;
    else if (failure) {
      this.failures.splice(this.failures.indexOf(failure), 1);
      const headers: Record<string, string> = {};
      if (failure.retryAfterSeconds !== undefined) {
        headers['retry-after'] = String(failure.retryAfterSeconds);
        headers['x-ratelimit-scope'] = 'user';
      }
      return json(
        failure.status,
        { message: 'fake failure', retry_after: failure.retryAfterSeconds },
        headers,
      );
    }
    const route = discordRoutes(this, url).find(
      ([verb, pattern]) => (verb === '*' || verb === method) && pattern.test(path),
    );
    if (!route) return json(404, { message: `fake discord: no route for ${method} ${path}`, code: 0 });
    const [status, value] = route[2](path.match(route[1])!.slice(1) as string[], body, method);
    json(status, value);
  }

  async stop(): Promise<void> {
    await this.gateway.stop();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
