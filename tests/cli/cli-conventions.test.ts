import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { runCli } from '../helpers/run-cli.ts';
import { copyBundledIndex, useBundledIndexCopy } from '../helpers/temp-index.ts';

describe('CLI conventions', () => {
  const index = useBundledIndexCopy();

  it.each([
    [['ask', '--help'], /paperbot ask "<question>"/],
    [['search', '-h'], /paperbot search "<query>"/],
    [['chat', '--help'], /paperbot chat\n.*\/reset/s],
    [['index', 'build', '--help'], /paperbot index build \[--corpus/],
    [['index', 'verify', '-h'], /paperbot index verify/],
    [['eval', '--help'], /paperbot eval --beir/],
    [['ingest', 'hf', '--help'], /paperbot ingest hf --since/],
    [['trending', '--help'], /paperbot trending \[--date/],
    [['serve', '--help'], /paperbot serve/],
    [['discord', 'register', '--help'], /paperbot discord register/],
    [['--help'], /paperbot ask .*paperbot --version/s],
  ])('%j prints its usage on stdout and exits 0 without running', async (args, usage) => {
    // No index directory: a command that ran would fail; help never loads the index.
    const result = await runCli(args, { PAPERBOT_INDEX_DIR: join(index.dir, 'absent') });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Usage:/);
    expect(result.stdout).toMatch(usage);
    expect(result.stderr).toBe('');
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
    const result = await runCli(['--version'], index.env);
    expect(result).toMatchObject({ code: 0, stdout: `paperbot ${version}\n` });
  });

  it('every usage error exits 2 with the usage on stderr, and --json adds one error document on stdout', async () => {
    const cases = [
      ['ask', '--frobnicate'],
      ['search', 'x', '--k', 'many'],
      ['index', 'rebuild'],
      ['ingest', 'tumblr'],
    ];
    const results = await Promise.all(cases.map((args) => runCli([...args, '--json'], index.env)));
    results.forEach((result, index) => {
      const label = cases[index]!.join(' ');
      expect(result.code, label).toBe(2);
      expect(result.stderr, label).toMatch(/Usage:/);
      expect(JSON.parse(result.stdout), label).toEqual({
        error: { code: 'USAGE', message: expect.any(String) },
      });
    });
    const bare = await runCli([], index.env);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^Usage:/);
  }, 120_000);

  it('a --json failure prints exactly one { error: { code, message } } document on stdout', async () => {
    const result = await runCli(['ask', 'anything?', '--json'], {
      PAPERBOT_INDEX_DIR: join(index.dir, 'absent'),
    });
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout);
    expect(document).toEqual({
      error: { code: 'INDEX_MISSING', message: expect.stringMatching(/No index in .*paperbot index build/) },
    });
    const config = await runCli(['search', 'x', '--json'], {
      ...index.env,
      PAPERBOT_EMBED_TIMEOUT_MS: 'soon',
    });
    expect(config.code).toBe(1);
    expect(JSON.parse(config.stdout).error.message).toMatch(/PAPERBOT_EMBED_TIMEOUT_MS/);
  });

  it('chat answers, /reset forgets the earlier turns, and a piped chat ends at end of input', async () => {
    const result = await runCli(
      ['chat'],
      index.env,
      'successor heads that increment Monday to Tuesday\n/reset\n/reset\nexit\n',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Successor Heads/);
    expect(result.stderr).toMatch(/Conversation reset \(1 earlier questions forgotten\)/);
    expect(result.stderr).toMatch(/Conversation reset \(0 earlier questions forgotten\)/);
  });

  it('a --json command that fails after printing nothing still prints its error (config, bad manifest)', async () => {
    const other = copyBundledIndex();
    try {
      writeFileSync(join(other.dir, 'manifest.json'), 'null');
      const result = await runCli(['search', 'x', '--json'], { PAPERBOT_INDEX_DIR: other.dir });
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout).error.code).toBe('INDEX_CORRUPT');
    } finally {
      other.cleanup();
    }
  });
});
