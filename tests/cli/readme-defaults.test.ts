import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { PAPER_FIELDS } from '../../src/corpus/validate-paper.ts';

const README = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');

describe('README agrees with the code', () => {
  it('states the PAPERBOT_MAX_CONCURRENCY defaults the configuration applies', () => {
    const row = README.split('\n').find((line) => line.startsWith('| `PAPERBOT_MAX_CONCURRENCY`'));
    const offline = loadConfig({}).maxConcurrency;
    const withModel = loadConfig({ OPENAI_API_KEY: 'sk-test' }).maxConcurrency;
    expect(row).toContain(`\`${offline}\` offline`);
    expect(row).toContain(`\`${withModel}\` with \`OPENAI_API_KEY\``);
  });

  it('documents every field a paper record may have', () => {
    const section = README.slice(
      README.indexOf('**Paper records**'),
      README.indexOf('**Rebuilding and checking'),
    );
    for (const field of PAPER_FIELDS) expect(section, field).toContain(`\`${field}\``);
  });
});
