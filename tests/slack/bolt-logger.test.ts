import { describe, expect, it } from 'vitest';
import { boltLogger, redactSlackSecrets } from '../../adapters/slack/bolt-logger.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';

describe('Bolt log lines', () => {
  it('never carry a Slack token or an OAuth secret, in any of the shapes the Web API logs them', () => {
    const text = [
      'Bearer xoxb-1234-5678-abcdEFGH',
      'user xoxp-1-2-3',
      'refresh xoxe.xoxb-1-abc',
      'app xapp-1-A0-123-abc',
      'http request body: {"code":"c1","client_id":"1.2","client_secret":"s3cr3t-value"}',
      'client_secret=s3cr3t-form&refresh_token=r3fresh',
      '{"refresh_token": "r3fresh-json", "access_token":"xoxb-in-json"}',
    ].join('\n');
    const redacted = redactSlackSecrets(text);
    for (const secret of [
      'xoxb-1234',
      'xoxp-1',
      'xoxe.',
      'xapp-1',
      's3cr3t-value',
      's3cr3t-form',
      'r3fresh',
    ]) {
      expect(redacted).not.toContain(secret);
    }
    expect(redacted).toContain('"client_id":"1.2","client_secret":"[redacted]"}');
    expect(redacted).toContain('client_secret=[redacted]&refresh_token=[redacted]');
  });

  it('redacts what Bolt and the Web API write through the logger', () => {
    const { logger, lines } = recordingLogger();
    boltLogger(logger).debug('http request headers:', { Authorization: 'Bearer xoxb-42-secret' });
    expect(lines[0]?.msg).toBe('http request headers: {"Authorization":"Bearer [redacted]"}');
  });
});
