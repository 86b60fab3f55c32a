import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type BufferedIncomingMessage,
  HTTPModuleFunctions,
  HTTPReceiver,
  type HTTPReceiverOptions,
} from '@slack/bolt';
import { type Clock, systemClock } from '../../src/clock.ts';
import { createMemoryReplayGuard } from '../../src/runtime/replay-guard.ts';

/** How far a request timestamp may lie in the future or past, in seconds (Slack's window). */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/**
 * True when `X-Slack-Request-Timestamp` is one run of digits within five minutes of `nowMs`.
 * Bolt reads the header with `Number()`, which also takes `+T`, `T.0`, `4e9` or hex.
 */
export function isValidTimestamp(header: string | string[] | undefined, nowMs: number): boolean {
  if (typeof header !== 'string' || !/^\d{1,12}$/.test(header)) return false;
  return Math.abs(Number(header) - Math.floor(nowMs / 1000)) <= TIMESTAMP_TOLERANCE_SECONDS;
}

/** Request body types Bolt routes to listeners: an Events API event, a command, an interaction. */
const ROUTED_TYPES = new Set([
  'block_actions',
  'block_suggestion',
  'dialog_submission',
  'interactive_message',
  'message_action',
  'shortcut',
  'view_closed',
  'view_submission',
]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why Bolt could not route a parsed body (it would throw or wait 3 s for an ack), or undefined. */
export function unroutableReason(body: unknown): string | undefined {
  if (!isRecord(body))
    return `body is ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}`;
  if (body.ssl_check === '1' || body.type === 'url_verification') return undefined;
  if (body.event !== undefined) return isRecord(body.event) ? undefined : 'event is not an object';
  if (typeof body.command === 'string') return undefined;
  if (Array.isArray(body.actions) || (typeof body.type === 'string' && ROUTED_TYPES.has(body.type)))
    return undefined;
  return 'no event, command or interaction';
}

/**
 * Remembers handled requests: `firstSeen` is true the first time a key is seen (within its
 * window), false for a replay. A `ReplayGuard` in memory, or claims in the shared store.
 */
export interface RequestReplayGuard {
  firstSeen(key: string, nowMs: number): boolean | Promise<boolean>;
}

/** Why a request was refused, as passed to `onRejected`. */
export interface Rejection {
  status: 400 | 401 | 413 | 500;
  reason: string;
}

export interface GuardedReceiverOptions extends HTTPReceiverOptions {
  clock?: Clock;
  /** Remembers signature + timestamp of handled requests (default: in memory, 5 minutes). */
  replayGuard?: RequestReplayGuard;
  /** Called for every refused request, and with status 200 for an ignored replay. */
  onRejected?: (rejection: Rejection | { status: 200; reason: string }) => void;
}

function reply(response: ServerResponse, status: number, text: string) {
  response.writeHead(status, { 'content-type': 'text/plain' });
  response.end(text);
}

/**
 * Bolt's HTTP receiver behind the checks Bolt lacks, run before any of its code sees a POST to an
 * events endpoint: the timestamp must be digits within five minutes either way (else 401); the
 * body is buffered and its signature verified (else 401, 413 when too large); a signed body that
 * does not parse or that Bolt cannot route (`payload=null`, JSON `null`, no event or command)
 * gets 400 at once, instead of an exception inside Bolt or a 404 three seconds later; and the
 * same signature and timestamp seen again within five minutes (a replay) gets an empty 200 and
 * reaches no handler.
 */
export class GuardedReceiver extends HTTPReceiver {
  constructor(options: GuardedReceiverOptions) {
    const { clock = systemClock, onRejected, replayGuard, ...receiverOptions } = options;
    super(receiverOptions);
    const guard = replayGuard ?? createMemoryReplayGuard({ windowMs: TIMESTAMP_TOLERANCE_SECONDS * 1000 });
    const endpoints = new Set(
      typeof receiverOptions.endpoints === 'string'
        ? [receiverOptions.endpoints]
        : Object.values(receiverOptions.endpoints ?? ['/slack/events']),
    );
    const signingSecret = receiverOptions.signingSecret;
    const bodyLimit = receiverOptions.bodyLimit ?? HTTPModuleFunctions.defaultBodyLimit;
    const boltListener = this.requestListener;
    const refuse = (request: IncomingMessage, response: ServerResponse, rejection: Rejection) => {
      onRejected?.(rejection);
      // Drain what is left of the body so the client sees a clean response rather than a reset.
      request.resume();
      reply(response, rejection.status, rejection.status === 400 ? 'Bad Request' : 'Unauthorized');
    };

    const screen = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
      const timestamp = request.headers['x-slack-request-timestamp'];
      if (!isValidTimestamp(timestamp, clock.now())) {
        return refuse(request, response, { status: 401, reason: 'timestamp not digits within 5 minutes' });
      }
      let buffered: BufferedIncomingMessage;
      try {
        // Buffers the body (Bolt reuses `rawBody` later) and verifies the signature.
        buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
          { enabled: true, signingSecret, bodyLimit },
          request,
        );
      } catch (error) {
        if (
          HTTPModuleFunctions.isRawBodyError(error) &&
          (error as { statusCode?: number }).statusCode === 413
        ) {
          return refuse(request, response, { status: 413, reason: 'body too large' });
        }
        return refuse(request, response, { status: 401, reason: 'signature not verified' });
      }
      let body: unknown;
      try {
        body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
      } catch {
        return refuse(request, response, { status: 400, reason: 'body does not parse' });
      }
      const unroutable = unroutableReason(body);
      if (unroutable) return refuse(request, response, { status: 400, reason: unroutable });
      const signature = String(request.headers['x-slack-signature']);
      if (!(await guard.firstSeen(`${timestamp}:${signature}`, clock.now()))) {
        onRejected?.({ status: 200, reason: 'replayed request ignored' });
        return reply(response, 200, '');
      }
      boltListener(buffered, response);
    };

    this.requestListener = (request: IncomingMessage, response: ServerResponse) => {
      const path = (request.url ?? '').split('?')[0] ?? '';
      if (request.method !== 'POST' || !endpoints.has(path)) return boltListener(request, response);
      screen(request, response).catch((error: unknown) => {
        // Only a bug of ours can get here; the request still gets an answer and the process lives.
        onRejected?.({ status: 500, reason: `screening failed: ${String(error)}` });
        if (!response.headersSent) reply(response, 500, 'Internal Server Error');
      });
    };
  }
}
