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

/** Secrets shorter than this are not scrubbed from text (they would match ordinary words). */
const MIN_SCRUBBED_LENGTH = 6;

/** Replaces every occurrence of each secret (raw or JSON-escaped) in `text` with `[redacted]`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SCRUBBED_LENGTH) continue;
    result = result.replaceAll(secret, '[redacted]');
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) result = result.replaceAll(escaped, '[redacted]');
  }
  return result;
}

export interface LoggerOptions {
  /**
   * Known secret values (tokens, keys): scrubbed from every line, wherever they appear (error
   * messages, headers, URLs), on top of the field redaction.
   */
  secrets?: readonly string[];
}

/** Structured JSON logs on stderr (stdout stays free for `--json` output). */
export function createLogger(
  level: string = 'info',
  destination: pino.DestinationStream = pino.destination(2),
  options: LoggerOptions = {},
): Logger {
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= MIN_SCRUBBED_LENGTH);
  return pino(
    {
      level,
      redact: { paths: REDACTED, censor: '[redacted]' },
      base: { app: 'paperbot' },
      ...(secrets.length > 0
        ? { hooks: { streamWrite: (line: string) => scrubSecrets(line, secrets) } }
        : {}),
    },
    destination,
  );
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
