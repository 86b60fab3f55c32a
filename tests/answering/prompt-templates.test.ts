import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAnswerMessages, buildSummaryMessages } from '../../src/answering/answer-prompt.ts';
import { buildTopicJudgeMessages } from '../../src/answering/openai-topic-judge.ts';
import { fillPrompt, PROMPTS_DIR, placeholdersOf, readPrompt } from '../../src/answering/prompt-template.ts';
import { hitsOf, LAYERS, MAMBA, requestFor } from './answering-fixtures.ts';

/**
 * Every prompt file and the code path that fills it. `fillPrompt` throws when a placeholder has
 * no value or a value has no placeholder, so rendering each one through the real code proves
 * that template and code agree. A new prompt file without an entry here fails the test.
 */
const RENDERERS: Record<string, () => string> = {
  'answer-system': () => buildAnswerMessages(requestFor('q', hitsOf(LAYERS)))[0]!.content,
  'answer-user': () => buildAnswerMessages(requestFor('q', hitsOf(LAYERS, MAMBA))).at(-1)!.content,
  summary: () => buildSummaryMessages(LAYERS)[0]!.content,
  'topic-judge': () => buildTopicJudgeMessages('interpretability', [LAYERS, MAMBA])[0]!.content,
};

describe('prompt templates', () => {
  const files = readdirSync(PROMPTS_DIR)
    .filter((file) => file.endsWith('.md'))
    .map((file) => file.slice(0, -'.md'.length));

  it('has a renderer for every prompts/*.md file and a file for every renderer', () => {
    expect(files.length).toBeGreaterThan(0);
    expect([...files].sort()).toEqual(Object.keys(RENDERERS).sort());
  });

  it.each(files)('prompts/%s.md is filled completely by its code path', (name) => {
    const render = RENDERERS[name];
    expect(render, `no renderer for prompts/${name}.md`).toBeDefined();
    const rendered = render!();
    expect(placeholdersOf(readPrompt(name)).length).toBeGreaterThan(0);
    expect(rendered).not.toMatch(/\{\{\s*\w+\s*\}\}/);
  });
});

describe('fillPrompt', () => {
  const directory = mkdtempSync(join(tmpdir(), 'paperbot-prompts-'));
  writeFileSync(join(directory, 'greeting.md'), 'Hello {{name}}, about {{ topic }}.\n');

  it('fills every placeholder, and does not expand placeholders inside values', () => {
    expect(fillPrompt('greeting', { name: '{{topic}}', topic: 'layers' }, directory)).toBe(
      'Hello {{topic}}, about layers.',
    );
  });

  it('throws when a placeholder has no value', () => {
    expect(() => fillPrompt('greeting', { name: 'Ada' }, directory)).toThrow(
      expect.objectContaining({ code: 'PROMPT_PLACEHOLDER', message: expect.stringContaining('[topic]') }),
    );
  });

  it('throws when a value has no placeholder', () => {
    expect(() => fillPrompt('greeting', { name: 'Ada', topic: 't', extra: 'x' }, directory)).toThrow(
      expect.objectContaining({ code: 'PROMPT_PLACEHOLDER', message: expect.stringContaining('[extra]') }),
    );
  });

  it('names the file when a template is missing', () => {
    expect(() => fillPrompt('absent', {}, directory)).toThrow(
      expect.objectContaining({ code: 'PROMPT_MISSING' }),
    );
  });
});
