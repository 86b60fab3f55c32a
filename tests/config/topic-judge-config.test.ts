import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';

describe('PAPERBOT_TOPIC_JUDGE', () => {
  it('is auto by default, off when asked, and rejects anything else with the value', () => {
    expect(loadConfig({}).topicJudge).toBe('auto');
    expect(loadConfig({ PAPERBOT_TOPIC_JUDGE: ' ' }).topicJudge).toBe('auto');
    expect(loadConfig({ PAPERBOT_TOPIC_JUDGE: 'off' }).topicJudge).toBe('off');
    expect(() => loadConfig({ PAPERBOT_TOPIC_JUDGE: 'llm' })).toThrow(/PAPERBOT_TOPIC_JUDGE="llm"/);
  });

  it('is documented in .env.example and the README', () => {
    expect(readFileSync(join(PACKAGE_ROOT, '.env.example'), 'utf8')).toMatch(/^PAPERBOT_TOPIC_JUDGE=auto$/m);
    expect(readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8')).toMatch(/^\| `PAPERBOT_TOPIC_JUDGE` \|/m);
  });
});
