import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SLACK_SCOPES, loadConfig } from '../../src/config/config.ts';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { configSecrets } from '../../src/runtime/secrets.ts';

const OAUTH = {
  SLACK_CLIENT_ID: '1111.2222',
  SLACK_CLIENT_SECRET: 'client-secret-value',
  SLACK_STATE_SECRET: 'state-secret-value',
  SLACK_SIGNING_SECRET: 'signing-secret',
};

const problems = (environment: Record<string, string>) => {
  try {
    loadConfig(environment);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('Slack configuration: one workspace or many', () => {
  it('keeps the single-workspace setup as it was', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-one', SLACK_SIGNING_SECRET: 's' });
    expect(config.slack).toMatchObject({ botToken: 'xoxb-one', signingSecret: 's' });
    expect(config.slack?.oauth).toBeUndefined();
  });

  it('turns Slack on with OAuth alone, asking for the manifest scopes by default', () => {
    const config = loadConfig(OAUTH);
    expect(config.slack?.botToken).toBeUndefined();
    expect(config.slack?.oauth).toEqual({
      clientId: '1111.2222',
      clientSecret: 'client-secret-value',
      stateSecret: 'state-secret-value',
      scopes: [...DEFAULT_SLACK_SCOPES],
      redirectUri: undefined,
    });
    expect(configSecrets(config)).toEqual(
      expect.arrayContaining(['client-secret-value', 'state-secret-value', 'signing-secret']),
    );
    expect(loadConfig({ ...OAUTH, SLACK_SCOPES: 'chat:write, commands' }).slack?.oauth?.scopes).toEqual([
      'chat:write',
      'commands',
    ]);
  });

  it('names every OAuth variable that is missing or conflicts', () => {
    expect(problems({ SLACK_CLIENT_ID: '1', SLACK_SIGNING_SECRET: 's' })).toContain(
      'SLACK_CLIENT_SECRET, SLACK_STATE_SECRET missing',
    );
    expect(problems({ ...OAUTH, SLACK_BOT_TOKEN: 'xoxb-x' })).toContain('unset SLACK_BOT_TOKEN');
    expect(problems({ ...OAUTH, SLACK_APP_TOKEN: 'xapp-x' })).toContain('unset SLACK_APP_TOKEN');
    expect(problems({ ...OAUTH, SLACK_SIGNING_SECRET: '' })).toContain('set SLACK_SIGNING_SECRET');
    expect(problems({ ...OAUTH, SLACK_REDIRECT_URI: 'https://bot.example/oauth' })).toContain(
      'must end in /slack/oauth_redirect',
    );
    expect(problems({ ...OAUTH, SLACK_SCOPES: 'chat:write;commands' })).toContain('SLACK_SCOPES');
    expect(problems({ SLACK_SCOPES: 'chat:write' })).toContain(
      'SLACK_SCOPES and SLACK_REDIRECT_URI are for OAuth',
    );
    expect(problems({ ...OAUTH, SLACK_REDIRECT_URI: 'https://bot.example/slack/oauth_redirect' })).toBe('');
  });

  it('documents every Slack variable in .env.example and the README', () => {
    const example = readFileSync(join(PACKAGE_ROOT, '.env.example'), 'utf8');
    const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
    for (const name of [
      'SLACK_CLIENT_ID',
      'SLACK_CLIENT_SECRET',
      'SLACK_STATE_SECRET',
      'SLACK_SCOPES',
      'SLACK_REDIRECT_URI',
    ]) {
      expect(example, name).toMatch(new RegExp(`^${name}=`, 'm'));
      expect(readme, name).toContain(name);
    }
  });

  it('keeps the default scopes equal to the manifests’ bot scopes', () => {
    for (const file of ['manifest.yml', 'manifest-http.yml']) {
      const manifest = readFileSync(join(PACKAGE_ROOT, 'adapters/slack', file), 'utf8');
      const bot = manifest.slice(manifest.indexOf('    bot:'), manifest.indexOf('settings:'));
      const scopes = [...bot.matchAll(/^\s+- ([a-z:._]+)/gm)].map((match) => match[1]);
      expect(scopes, file).toEqual([...DEFAULT_SLACK_SCOPES]);
    }
  });
});
