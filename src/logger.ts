import pino from 'pino';

export type Logger = pino.Logger;

/** Paths whose values never reach a log line. */
const REDACTED = [
  'token',
  'apiKey',
  'signingSecret',
  'appToken',
  'botToken',
  'authorization',
  '*.token',
  '*.apiKey',
  '*.signingSecret',
  '*.appToken',
  '*.botToken',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
];

/** Structured JSON logs on stderr (stdout stays free for `--json` output). */
export function createLogger(
  level: string = 'info',
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  return pino(
    { level, redact: { paths: REDACTED, censor: '[redacted]' }, base: { app: 'paperbot' } },
    destination,
  );
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
