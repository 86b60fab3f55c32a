import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';

const SOURCE = join(PACKAGE_ROOT, 'src');

/** The folder of src/ a file belongs to; files directly in src/ (errors, clock, logger, bot) are ''. */
function folderOf(path: string): string {
  const parts = relative(SOURCE, path).split(sep);
  return parts.length > 1 ? (parts[0] ?? '') : '';
}

/** Folder → folders it imports from, over every relative import in src/ (static and dynamic). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const files = readdirSync(SOURCE, { recursive: true, encoding: 'utf8' }).filter((name) =>
    /\.(ts|mjs)$/.test(name),
  );
  for (const name of files) {
    const path = join(SOURCE, name);
    const from = folderOf(path);
    for (const match of readFileSync(path, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
      const to = folderOf(resolve(dirname(path), match[1] ?? ''));
      if (from === '' || to === '' || to === from) continue;
      graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  }
  return graph;
}

/** Every cycle found by a depth-first walk, as `a → b → a`. */
function cycles(graph: Map<string, Set<string>>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const walk = (folder: string, path: string[]) => {
    const start = path.indexOf(folder);
    if (start >= 0) {
      found.push([...path.slice(start), folder].join(' → '));
      return;
    }
    if (done.has(folder)) return;
    for (const next of graph.get(folder) ?? []) walk(next, [...path, folder]);
    done.add(folder);
  };
  for (const folder of graph.keys()) walk(folder, []);
  return found;
}

describe('folders of src/ depend on each other in one direction', () => {
  it('finds no import cycle between folders', () => {
    expect(cycles(folderGraph())).toEqual([]);
  });

  it('reports a cycle when there is one', () => {
    const graph = new Map([
      ['retrieval', new Set(['storage'])],
      ['storage', new Set(['retrieval'])],
    ]);
    expect(cycles(graph)).toEqual(['retrieval → storage → retrieval']);
  });
});
