import type { Config } from '../config/config.ts';

/** Every secret value in the configuration (tokens, keys, signing secrets), for log scrubbing. */
export function configSecrets(config: Config): string[] {
  return [
    config.openai?.apiKey,
    config.slack?.botToken,
    config.slack?.signingSecret,
    config.slack?.appToken,
    config.discord?.token,
  ].filter((value): value is string => typeof value === 'string' && value.length > 0);
}
