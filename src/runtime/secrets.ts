import type { Config } from '../config/config.ts';
import { scrubSecrets } from '../logger.ts';
import { sanitizeText } from '../text/sanitize.ts';

/** Every secret value in the configuration (tokens, keys, signing secrets), for log scrubbing. */
export function configSecrets(config: Config): string[] {
  return [
    config.openai?.apiKey,
    config.slack?.botToken,
    config.slack?.signingSecret,
    config.slack?.appToken,
    config.slack?.oauth?.clientSecret,
    config.slack?.oauth?.stateSecret,
    config.discord?.token,
  ].filter((value): value is string => typeof value === 'string' && value.length > 0);
}

/**
 * Text about to be printed or posted, made safe: escape sequences, bidi and zero-width characters
 * stripped (`sanitizeText`) and every secret replaced by `[redacted]` (a model may echo a key it
 * saw in an error message or a prompt). Used for CLI output; the chat adapters get the same
 * through `createOutputGuardedBot` and their renderers.
 */
export function safeOutput(text: string, secrets: readonly string[]): string {
  return scrubSecrets(sanitizeText(text), secrets);
}
