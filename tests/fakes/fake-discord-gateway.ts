import type { IncomingMessage, Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';

/** One frame the client sent over the gateway. */
export interface GatewayFrame {
  /** 1-based number of the connection it arrived on. */
  connection: number;
  op: number;
  d: unknown;
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
}

/**
 * A Discord gateway speaking v10 JSON without compression: HELLO, heartbeat ACKs, IDENTIFY ->
 * READY (+ GUILD_CREATE per guild), RESUME -> replay + RESUMED, and test controls to close the
 * socket with a code or invalidate the session (op 9).
 */
export class FakeGateway {
  readonly frames: GatewayFrame[] = [];
  /** Close codes the client sent, per connection. */
  readonly clientCloses: { connection: number; code: number }[] = [];
  private readonly server: WebSocketServer;
  private socket: WebSocket | undefined;
  private connectionCount = 0;
  private sequence = 0;
  private sessionNumber = 0;
  private sessionId = '';
  /** Dispatches sent in the current session, for replay on RESUME. */
  private sent: { s: number; t: string; d: unknown }[] = [];

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

  /** True while a client socket is open. */
  get connected(): boolean {
    return this.socket?.readyState === 1;
  }

  private accept(ws: WebSocket): void {
    const connection = ++this.connectionCount;
    this.socket = ws;
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { op: number; d: unknown };
      this.frames.push({ connection, op: frame.op, d: frame.d });
      this.onFrame(ws, frame);
    });
    ws.on('close', (code) => this.clientCloses.push({ connection, code }));
    this.write(ws, { op: 10, d: { heartbeat_interval: this.options.heartbeatIntervalMs ?? 250 } });
  }

  private onFrame(ws: WebSocket, frame: { op: number; d: unknown }): void {
    if (frame.op === 1) this.write(ws, { op: 11 });
    else if (frame.op === 2) this.identify(ws);
    else if (frame.op === 6) {
      const resume = frame.d as { session_id: string; seq: number };
      if (resume.session_id !== this.sessionId) {
        this.write(ws, { op: 9, d: false });
        return;
      }
      for (const event of this.sent.filter((item) => item.s > resume.seq)) {
        this.write(ws, { op: 0, ...event });
      }
      this.send('RESUMED', {});
    }
  }

  private identify(ws: WebSocket): void {
    this.sessionId = `session-${++this.sessionNumber}`;
    this.sequence = 0;
    this.sent = [];
    const { botUser, applicationId } = this.world;
    const guilds = this.world.guilds();
    this.socket = ws;
    this.send('READY', {
      v: 10,
      user: { ...botUser, discriminator: '0', avatar: null, bot: true, global_name: null },
      guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: this.sessionId,
      resume_gateway_url: this.url(),
      ...(this.options.readyWithoutApplication ? {} : { application: { id: applicationId, flags: 0 } }),
    });
    for (const guild of guilds) this.send('GUILD_CREATE', guild);
  }

  /** Sends a dispatch (op 0) with the next sequence number. */
  send(t: string, d: unknown): void {
    const event = { s: ++this.sequence, t, d };
    this.sent.push(event);
    if (this.socket) this.write(this.socket, { op: 0, ...event });
  }

  /** Closes the current socket from the server side with `code` (4000: unknown error, resumable). */
  close(code: number): void {
    this.socket?.close(code, 'closed by the fake gateway');
  }

  /** Sends op 9 (invalid session); `resumable: false` makes the client identify afresh. */
  invalidateSession(resumable = false): void {
    if (this.socket) this.write(this.socket, { op: 9, d: resumable });
  }

  private write(ws: WebSocket, payload: unknown): void {
    if (ws.readyState === 1) ws.send(JSON.stringify(payload));
  }

  async stop(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
