import type { Digest, DigestDestination, DigestSender } from '../../src/trending/types.ts';

export interface SenderCall {
  kind: 'send' | 'wasDelivered';
  destinationId: string;
  key: string;
  digest?: Digest;
  /** Clock time of the call, when a clock was given. */
  at?: number;
}

/**
 * A DigestSender that records every call and keeps the "platform's" messages by idempotency key,
 * so `wasDelivered` answers truthfully, also across scheduler restarts.
 */
export class RecordingDigestSender implements DigestSender {
  readonly calls: SenderCall[] = [];
  /** Messages that reached the platform, in order. */
  readonly delivered: { destinationId: string; key: string; digest: Digest }[] = [];
  /** Errors thrown by the next sends, one each, before anything is delivered. */
  readonly failures: Error[] = [];
  /** Awaited before a send delivers (lets a test hold a send in flight). */
  gate?: Promise<void>;
  /** Runs after delivery, before `send` returns (lets a test crash the process there). */
  afterDelivery?: () => void;

  constructor(
    readonly platform: 'discord' | 'slack' = 'discord',
    private readonly now?: () => number,
  ) {}

  async send(destination: DigestDestination, digest: Digest, key: string): Promise<void> {
    this.calls.push({ kind: 'send', destinationId: destination.id, key, digest, at: this.now?.() });
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (this.gate) await this.gate;
    this.delivered.push({ destinationId: destination.id, key, digest });
    this.afterDelivery?.();
  }

  async wasDelivered(destination: DigestDestination, key: string): Promise<boolean> {
    this.calls.push({ kind: 'wasDelivered', destinationId: destination.id, key, at: this.now?.() });
    return this.delivered.some((message) => message.key === key && message.destinationId === destination.id);
  }

  sends(): SenderCall[] {
    return this.calls.filter((call) => call.kind === 'send');
  }
}
