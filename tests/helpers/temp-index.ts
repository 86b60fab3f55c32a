import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
