import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../corpus/bundled.ts';
import { PaperbotError } from '../errors.ts';

/** Where the prompt templates live: `prompts/*.md` at the package root. */
export const PROMPTS_DIR = join(PACKAGE_ROOT, 'prompts');

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;
const cache = new Map<string, string>();

/** The names of every `{{placeholder}}` in a template, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

/** The raw text of `prompts/<name>.md`, read once per process. */
export function readPrompt(name: string, directory = PROMPTS_DIR): string {
  const path = join(directory, `${name}.md`);
  let text = cache.get(path);
  if (text === undefined) {
    try {
      text = readFileSync(path, 'utf8').trim();
    } catch (error) {
      throw new PaperbotError('PROMPT_MISSING', `Prompt template ${path} could not be read`, {
        cause: error,
      });
    }
    cache.set(path, text);
  }
  return text;
}

/**
 * Fills `prompts/<name>.md`. Values are inserted verbatim, in one pass, so a value that itself
 * contains `{{x}}` is never expanded. Throws `PROMPT_PLACEHOLDER` when a placeholder has no value
 * or a value has no placeholder, so templates and code cannot drift apart silently.
 */
export function fillPrompt(name: string, values: Record<string, string>, directory = PROMPTS_DIR): string {
  const template = readPrompt(name, directory);
  const wanted = placeholdersOf(template);
  const missing = wanted.filter((key) => !Object.hasOwn(values, key));
  const unused = Object.keys(values).filter((key) => !wanted.includes(key));
  if (missing.length > 0 || unused.length > 0) {
    throw new PaperbotError(
      'PROMPT_PLACEHOLDER',
      `Prompt prompts/${name}.md and its caller disagree: ` +
        `missing values for [${missing.join(', ')}], values without a placeholder [${unused.join(', ')}]`,
    );
  }
  return template.replace(PLACEHOLDER, (_match, key: string) => values[key]!);
}
