import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the dev questions are read from: the repository's fixture copy, else the shared one. */
const CANDIDATES = [
  join(ROOT, 'tests', 'fixtures', 'eval', 'seed-dev', 'queries.jsonl'),
  join(ROOT, '..', 'shared', 'eval', 'seed-dev', 'queries.jsonl'),
];

/** The dev questions (`seed-dev/queries.jsonl`), the query workload of the retrieval and e2e parts. */
export function devQuestions(): string[] {
  const path = CANDIDATES.find((candidate) => existsSync(candidate));
  if (!path) throw new Error(`dev questions not found in ${CANDIDATES.join(' or ')}`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => (JSON.parse(line) as { text: string }).text);
}

/** The repository root (for spawning the CLI). */
export const REPOSITORY_ROOT = ROOT;
