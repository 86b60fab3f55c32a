import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder at or above `start` that holds a package.json. */
function packageRootFrom(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return join(start, '..', '..');
    dir = parent;
  }
  return dir;
}

/**
 * Root of the installed package (where `corpus/`, `prompts/` and the bundled `index/` live),
 * found the same way from the TypeScript sources and from a compiled `dist/`.
 */
export const PACKAGE_ROOT = packageRootFrom(dirname(fileURLToPath(import.meta.url)));

/** The 119 bundled papers that ship with paperbot. */
export const BUNDLED_CORPUS_PATH = join(PACKAGE_ROOT, 'corpus', 'seed-papers.jsonl');
