import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { DEFAULT_INDEX_DIR } from '../../src/config/config.ts';

/** A private copy of the bundled index, so a test never writes to the repository's `index/`. */
export function copyBundledIndex(): { dir: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'paperbot-test-'));
  const dir = join(root, 'index');
  cpSync(DEFAULT_INDEX_DIR, dir, {
    recursive: true,
    filter: (source) => !/paperbot\.db|\.tmp-|\.lock-/.test(source),
  });
  return { dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A private copy of the bundled index for the enclosing `describe`: made before all its tests, removed after. */
export function useBundledIndexCopy(): { readonly dir: string; readonly env: Record<string, string> } {
  let temp: ReturnType<typeof copyBundledIndex> | undefined;
  beforeAll(() => {
    temp = copyBundledIndex();
  });
  afterAll(() => temp?.cleanup());
  const dir = () => {
    if (!temp) throw new Error('useBundledIndexCopy: the index copy is only there inside tests');
    return temp.dir;
  };
  return {
    get dir() {
      return dir();
    },
    get env() {
      return { PAPERBOT_INDEX_DIR: dir() };
    },
  };
}
