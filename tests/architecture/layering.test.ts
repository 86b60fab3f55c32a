import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';

const run = promisify(execFile);
const BIOME = join(PACKAGE_ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** Lints `files` (path → source) in a scratch tree that carries the repository's own biome.json. */
async function lintPlanted(files: Record<string, string>): Promise<{ code: number; output: string }> {
  const root = mkdtempSync(join(tmpdir(), 'paperbot-layering-'));
  roots.push(root);
  copyFileSync(join(PACKAGE_ROOT, 'biome.json'), join(root, 'biome.json'));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), source);
  }
  try {
    const { stdout, stderr } = await run(process.execPath, [BIOME, 'lint', '--max-diagnostics=50', '.'], {
      cwd: root,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** Expects the lint to fail and to name every planted file and the broken rule's message. */
function expectRejected(result: { code: number; output: string }, paths: string[], message: string): void {
  expect(result.code).not.toBe(0);
  for (const path of paths) expect(result.output).toContain(path);
  expect(result.output).toContain('noRestrictedImports');
  expect(result.output).toContain(message);
}

describe('layering: the core in src/ imports no adapter and no chat SDK', () => {
  it('fails the lint on a planted discord.js import in src/', async () => {
    const result = await lintPlanted({ 'src/planted.ts': "import 'discord.js';\n" });
    expectRejected(result, ['src/planted.ts'], 'never imports discord.js');
  });

  it('fails on @slack/* imports, static or dynamic, and on imports of adapters/', async () => {
    const planted = {
      'src/slack.ts': "import { App } from '@slack/bolt';\nexport const app = App;\n",
      'src/web.ts': "export const web = await import('@slack/web-api');\n",
      'src/deep/adapter.ts': "import { x } from '../../adapters/shared/x.ts';\nexport const y = x;\n",
    };
    expectRejected(await lintPlanted(planted), Object.keys(planted), 'never imports adapters/');
  });

  it('lets adapters/ import discord.js and @slack/bolt', async () => {
    const result = await lintPlanted({
      'adapters/discord/planted.ts': "import 'discord.js';\n",
      'adapters/slack/planted.ts': "import '@slack/bolt';\n",
      'src/clean.ts': "import { join } from 'node:path';\nexport const here = join('a', 'b');\n",
    });
    expect(result.output).not.toContain('noRestrictedImports');
    expect(result.code).toBe(0);
  });
});
