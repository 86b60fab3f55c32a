import { readFileSync } from 'node:fs';
import { PaperbotError } from '../errors.ts';
import type { Paper } from './paper.ts';
import { validatePaper } from './validate-paper.ts';

/** One line of a JSONL file that could not be used. */
export interface LineProblem {
  /** 1-based line number. */
  line: number;
  reason: string;
}

export interface JsonlLoadResult {
  papers: Paper[];
  problems: LineProblem[];
  /** Keys found on some line that are not paper fields (dropped), each once, in order of appearance. */
  unknownKeys: string[];
}

/**
 * Parses JSONL text into papers. Every good line is kept; each bad line (invalid JSON, missing
 * fields, duplicate id) is reported by number and reason. A later duplicate replaces nothing.
 */
export function parsePapersJsonl(text: string): JsonlLoadResult {
  const papers: Paper[] = [];
  const problems: LineProblem[] = [];
  const seen = new Map<string, number>();
  const unknownKeys = new Set<string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      problems.push({ line, reason: `invalid JSON (${(error as Error).message})` });
      return;
    }
    const result = validatePaper(value);
    if (!result.ok) {
      problems.push({ line, reason: result.reason });
      return;
    }
    for (const key of result.unknownKeys) unknownKeys.add(key);
    const firstLine = seen.get(result.paper.id);
    if (firstLine !== undefined) {
      problems.push({ line, reason: `duplicate id ${result.paper.id} (first on line ${firstLine})` });
      return;
    }
    seen.set(result.paper.id, line);
    papers.push(result.paper);
  });
  return { papers, problems, unknownKeys: [...unknownKeys] };
}

/** The warning for a file whose lines hold keys that are not paper fields, or undefined. */
export function unknownKeysWarning(path: string, unknownKeys: readonly string[]): string | undefined {
  if (unknownKeys.length === 0) return undefined;
  return `${path}: ignored unknown field${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.join(', ')} (the README's "Paper records" lists the fields a line may have)`;
}

/** Reads a JSONL file of papers; throws only when the file itself cannot be read. */
export function loadPapersJsonl(path: string): JsonlLoadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PaperbotError(
      'CORPUS_UNREADABLE',
      `Cannot read corpus file ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return parsePapersJsonl(text);
}
