import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { PaperbotError } from '../../src/errors.ts';
import { createLogger, scrubSecrets } from '../../src/logger.ts';
import { configSecrets } from '../../src/runtime/secrets.ts';

const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-abcdefSECRET',
  SLACK_SIGNING_SECRET: 'signing-0123456789abcdef',
  SLACK_APP_TOKEN: 'xapp-1-A0-secretapptoken',
  DISCORD_TOKEN: 'MTAx.discord.token-value',
  OPENAI_API_KEY: 'sk-test-0123456789"quoted\\key',
};

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('logs and secrets', () => {
  it('never writes a configured token, key or secret, however it is logged', () => {
    const config = loadConfig({ ...SECRETS });
    const sink = capture();
    const logger = createLogger('debug', sink.stream, { secrets: configSecrets(config) });
    const child = logger.child({ requestId: 'abc123' });
    child.info({ config }, 'config at startup');
    child.info({ headers: { authorization: `Bearer ${SECRETS.SLACK_BOT_TOKEN}` } }, 'request');
    child.info({ request: { headers: { Authorization: `Bot ${SECRETS.DISCORD_TOKEN}` } } }, 'nested header');
    child.error(
      { err: new PaperbotError('CONFIG_INVALID', `token ${SECRETS.SLACK_BOT_TOKEN} was refused`) },
      'auth failed',
    );
    child.warn(`url https://api.example/?key=${encodeURIComponent(SECRETS.SLACK_APP_TOKEN)}`);
    child.warn({ body: JSON.stringify({ api_key: SECRETS.OPENAI_API_KEY }) }, 'stringified body');
    child.info({ deep: { a: { b: { c: { signing: SECRETS.SLACK_SIGNING_SECRET } } } } }, 'deep');
    const text = sink.text();
    expect(text.split('\n').filter(Boolean)).toHaveLength(7);
    for (const secret of Object.values(SECRETS)) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
    expect(text).toContain('[redacted]');
    expect(text).toContain('"requestId":"abc123"');
    for (const line of text.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('redacts token fields by name even without the values', () => {
    const sink = capture();
    const logger = createLogger('info', sink.stream);
    logger.info(
      {
        slack: { botToken: 'xoxb-field-only' },
        headers: { authorization: 'Bearer abcdef' },
        apiKey: 'k-123456',
      },
      'fields',
    );
    expect(sink.text()).not.toMatch(/xoxb-field-only|Bearer abcdef|k-123456/);
  });

  it('leaves short values alone so that ordinary words survive', () => {
    expect(scrubSecrets('the key is abc', ['abc'])).toBe('the key is abc');
    expect(scrubSecrets('token=abcdefgh!', ['abcdefgh'])).toBe('token=[redacted]!');
  });
});
