import { describeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from './metrics.ts';

/** What `installRejectionGuard` listens on: `process`, or an emitter in tests. */
export interface RejectionSource {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  off(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

/**
 * Keeps a long-running process alive through a promise rejection nobody handled (a library's
 * internal async work, say): it is logged at error level and counted as
 * `paperbot_errors_total{component="unhandled-rejection"}` instead of ending the process (Node's
 * default). Returns a function that removes the guard.
 */
export function installRejectionGuard(
  logger: Logger,
  metrics: Metrics | undefined,
  source: RejectionSource = process,
): () => void {
  const listener = (reason: unknown) => {
    metrics?.error('unhandled-rejection');
    logger.error({ err: reason, component: 'process' }, `unhandled rejection: ${describeError(reason)}`);
  };
  source.on('unhandledRejection', listener);
  return () => {
    source.off('unhandledRejection', listener);
  };
}
