import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../src/logger.ts';

/** Slack tokens of any kind (bot, user, app, refresh `xoxe`), and OAuth secrets as JSON or form fields. */
const SLACK_SECRETS = [
  /\bxox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]+/g,
  /\bxapp-[A-Za-z0-9-]+/g,
  /("(?:client_secret|refresh_token|access_token)"\s*:\s*")[^"]*"/g,
  /\b((?:client_secret|refresh_token)=)[^&\s"]*/g,
];

/**
 * The text with every Slack token and OAuth secret replaced by `[redacted]`. The Web API's debug
 * lines print request bodies (an `oauth.v2.access` body holds the client secret), and per-workspace
 * tokens come from the installation store, so the logger's list of configured secrets cannot know them.
 */
export function redactSlackSecrets(text: string): string {
  return SLACK_SECRETS.reduce(
    (result, pattern) =>
      result.replace(pattern, (_match, prefix?: string) =>
        typeof prefix === 'string' ? `${prefix}[redacted]${prefix.endsWith('"') ? '"' : ''}` : '[redacted]',
      ),
    text,
  );
}

function render(parts: unknown[]): { message: string; error?: unknown } {
  const error = parts.find((part) => part instanceof Error);
  const message = parts
    .filter((part) => !(part instanceof Error))
    .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
    .join(' ');
  return { message: redactSlackSecrets(message || (error instanceof Error ? error.message : '')), error };
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
