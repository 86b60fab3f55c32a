import type { IncomingMessage, Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';

/** One frame the client sent over the gateway. */
export interface GatewayFrame {
  /** 1-based number of the connection it arrived on. */
  connection: number;
  op: number;
  d: unknown;
  /** `Date.now()` on arrival. */
  at: number;
}

/** What READY and GUILD_CREATE carry; the fake builds both from it. */
export interface GatewayWorld {
  botUser: { id: string; username: string };
  applicationId: string;
  guilds: () => Record<string, unknown>[];
}

export interface FakeGatewayOptions {
  /** HELLO heartbeat interval in ms (default 250). */
  heartbeatIntervalMs?: number;
  /** Sends READY without `application` (a malformed event discord.js trips over). */
  readyWithoutApplication?: boolean;
  /** Guilds the bot is in (default: the one guild of `IDS.guild`); each gets a `general` channel. */
  guildIds?: string[];
  /** `shards` (recommended count) in `GET /gateway/bot` (default 1). */
  recommendedShards?: number;
  /** `session_start_limit.max_concurrency` in `GET /gateway/bot` (default 1). */
  maxConcurrency?: number;
}

/** The shard `[id, count]` a guild's events go to: `(guild_id >> 22) % count`, as Discord routes them. */
export function shardOfGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** One identified gateway session: a shard, its socket (replaced on RESUME) and its dispatches. */
interface Session {
  id: string;
  shard: [number, number];
  socket: WebSocket;
  sequence: number;
  /** Dispatches sent in this session, for replay on RESUME. */
  sent: { s: number; t: string; d: unknown }[];
}

/**
 * A Discord gateway speaking v10 JSON without compression: HELLO, heartbeat ACKs, IDENTIFY ->
 * READY (+ GUILD_CREATE per guild of the shard), RESUME -> replay + RESUMED, and test controls to
 * close a socket with a code or invalidate a session (op 9). It speaks sharding: IDENTIFY's
 * `shard: [id, count]` (default `[0, 1]`) decides which guilds a session gets, and each dispatch
 * about a guild goes only to the session of that guild's shard.
 */
export class FakeGateway {
  readonly frames: GatewayFrame[] = [];
  /** Close codes the client sent, per connection. */
  readonly clientCloses: { connection: number; code: number }[] = [];
  private readonly server: WebSocketServer;
  private connectionCount = 0;
  private sessionNumber = 0;
  /** The live session of each shard id (a new IDENTIFY of the shard replaces it). */
  private readonly sessions = new Map<number, Session>();

  constructor(
    http: Server,
    private readonly url: () => string,
    private readonly world: GatewayWorld,
    private readonly options: FakeGatewayOptions = {},
  ) {
    this.server = new WebSocketServer({ noServer: true });
    http.on('upgrade', (request: IncomingMessage, socket, head) => {
      if (!request.url?.startsWith('/gateway')) return socket.destroy();
      this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
    });
  }

  /** Number of websocket connections the client opened. */
  get connections(): number {
    return this.connectionCount;
  }

  framesWithOp(op: number): GatewayFrame[] {
    return this.frames.filter((frame) => frame.op === op);
  }

  /** The IDENTIFY frames, each with the `[id, count]` shard it asked for. */
  identifies(): (GatewayFrame & { shard: [number, number] })[] {
    return this.framesWithOp(2).map((frame) => ({
      ...frame,
      shard: ((frame.d as { shard?: [number, number] }).shard ?? [0, 1]) as [number, number],
    }));
  }

  /** True while a client socket of a session is open. */
  get connected(): boolean {
    return [...this.sessions.values()].some((session) => session.socket.readyState === 1);
  }

  private accept(ws: WebSocket): void {
    const connection = ++this.connectionCount;
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { op: number; d: unknown };
      this.frames.push({ connection, op: frame.op, d: frame.d, at: Date.now() });
      this.onFrame(ws, frame);
    });
    ws.on('close', (code) => this.clientCloses.push({ connection, code }));
    this.write(ws, { op: 10, d: { heartbeat_interval: this.options.heartbeatIntervalMs ?? 250 } });
  }

  private onFrame(ws: WebSocket, frame: { op: number; d: unknown }): void {
    if (frame.op === 1) this.write(ws, { op: 11 });
    else if (frame.op === 2) this.identify(ws, (frame.d as { shard?: [number, number] }).shard ?? [0, 1]);
    else if (frame.op === 6) {
      const resume = frame.d as { session_id: string; seq: number };
      const session = [...this.sessions.values()].find((item) => item.id === resume.session_id);
      if (!session) {
        this.write(ws, { op: 9, d: false });
        return;
      }
      session.socket = ws;
      for (const event of session.sent.filter((item) => item.s > resume.seq)) {
        this.write(ws, { op: 0, ...event });
      }
      this.dispatch(session, 'RESUMED', {});
    }
  }

  private identify(ws: WebSocket, shard: [number, number]): void {
    const session: Session = {
      id: `session-${++this.sessionNumber}`,
      shard,
      socket: ws,
      sequence: 0,
      sent: [],
    };
    this.sessions.set(shard[0], session);
    const { botUser, applicationId } = this.world;
    const guilds = this.world
      .guilds()
      .filter((guild) => shardOfGuild(String(guild.id), shard[1]) === shard[0]);
    this.dispatch(session, 'READY', {
      v: 10,
      user: { ...botUser, discriminator: '0', avatar: null, bot: true, global_name: null },
      guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.url(),
      shard,
      ...(this.options.readyWithoutApplication ? {} : { application: { id: applicationId, flags: 0 } }),
    });
    for (const guild of guilds) this.dispatch(session, 'GUILD_CREATE', guild);
  }

  /**
   * Sends a dispatch (op 0) with the next sequence number of the session it belongs to: that of
   * the shard of its guild (`d.guild_id`, or `d.id` for GUILD_CREATE), shard 0 when it has none.
   * Returns the shard id it went to, or undefined when that shard has no session.
   */
  send(t: string, d: unknown): number | undefined {
    const data = (d ?? {}) as { guild_id?: unknown; id?: unknown };
    const guildId = t === 'GUILD_CREATE' ? data.id : data.guild_id;
    const session = [...this.sessions.values()].find((item) =>
      typeof guildId === 'string'
        ? shardOfGuild(guildId, item.shard[1]) === item.shard[0]
        : item.shard[0] === 0,
    );
    if (!session) return undefined;
    this.dispatch(session, t, d);
    return session.shard[0];
  }

  private dispatch(session: Session, t: string, d: unknown): void {
    const event = { s: ++session.sequence, t, d };
    session.sent.push(event);
    this.write(session.socket, { op: 0, ...event });
  }

  /** Closes the sockets of every session (or of shard `shardId`) with `code` (4000: resumable). */
  close(code: number, shardId?: number): void {
    for (const session of this.selected(shardId)) session.socket.close(code, 'closed by the fake gateway');
  }

  /** Sends op 9 (invalid session) to every session (or shard `shardId`); `resumable: false` makes the client identify afresh. */
  invalidateSession(resumable = false, shardId?: number): void {
    for (const session of this.selected(shardId)) this.write(session.socket, { op: 9, d: resumable });
  }

  private selected(shardId: number | undefined): Session[] {
    return [...this.sessions.values()].filter(
      (session) => shardId === undefined || session.shard[0] === shardId,
    );
  }

  private write(ws: WebSocket, payload: unknown): void {
    if (ws.readyState === 1) ws.send(JSON.stringify(payload));
  }

  async stop(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
