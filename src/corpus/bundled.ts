import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the installed package (where `corpus/`, `prompts/` and the bundled `index/` live). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The 119 bundled papers that ship with paperbot. */
export const BUNDLED_CORPUS_PATH = join(PACKAGE_ROOT, 'corpus', 'seed-papers.jsonl');
