import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../src/logger.ts';

function render(parts: unknown[]): { message: string; error?: unknown } {
  const error = parts.find((part) => part instanceof Error);
  const message = parts
    .filter((part) => !(part instanceof Error))
    .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
    .join(' ');
  return { message: message || (error instanceof Error ? error.message : ''), error };
}

/** Bolt's, Web API's and Socket Mode's log lines, routed into our pino logger under `component: slack`. */
export function boltLogger(logger: Logger): BoltLogger {
  let child = logger.child({ component: 'slack' });
  const write = (level: 'debug' | 'info' | 'warn' | 'error', parts: unknown[]) => {
    const { message, error } = render(parts);
    if (error) child[level]({ err: error }, message);
    else child[level](message);
  };
  return {
    debug: (...parts: unknown[]) => write('debug', parts),
    info: (...parts: unknown[]) => write('info', parts),
    warn: (...parts: unknown[]) => write('warn', parts),
    error: (...parts: unknown[]) => write('error', parts),
    // Our own LOG_LEVEL governs; Bolt asks to change it only when given a logLevel, which we never pass.
    setLevel: () => {},
    getLevel: () => {
      const level = child.level;
      if (level === 'debug' || level === 'trace') return LogLevel.DEBUG;
      if (level === 'info') return LogLevel.INFO;
      if (level === 'warn') return LogLevel.WARN;
      return LogLevel.ERROR;
    },
    setName: (name: string) => {
      child = logger.child({ component: 'slack', name });
    },
  };
}
