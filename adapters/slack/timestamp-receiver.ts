import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPReceiver, type HTTPReceiverOptions } from '@slack/bolt';
import { type Clock, systemClock } from '../../src/clock.ts';

/** How far a request timestamp may lie in the future or past, in seconds (Slack's window). */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/** True when a `X-Slack-Request-Timestamp` value lies more than five minutes after `nowMs`. */
export function isFutureTimestamp(header: string | string[] | undefined, nowMs: number): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d+$/.test(value.trim())) return false; // Bolt rejects these itself
  return Number(value) > Math.floor(nowMs / 1000) + TIMESTAMP_TOLERANCE_SECONDS;
}

/**
 * Bolt's HTTP receiver with the check Bolt lacks: a signed request whose timestamp is more than
 * five minutes in the future gets 401 before any signature work or handler runs (Bolt only
 * rejects timestamps that are too old).
 */
export class TimestampCheckingReceiver extends HTTPReceiver {
  constructor(options: HTTPReceiverOptions & { clock?: Clock; onRejected?: (reason: string) => void }) {
    const { clock = systemClock, onRejected, ...receiverOptions } = options;
    super(receiverOptions);
    const boltListener = this.requestListener;
    this.requestListener = (request: IncomingMessage, response: ServerResponse) => {
      if (
        request.method === 'POST' &&
        isFutureTimestamp(request.headers['x-slack-request-timestamp'], clock.now())
      ) {
        onRejected?.('timestamp more than 5 minutes in the future');
        // Drain the body so the client sees a clean response rather than a reset.
        request.resume();
        response.writeHead(401, { 'content-type': 'text/plain' });
        response.end('Unauthorized');
        return;
      }
      boltListener(request, response);
    };
  }
}
