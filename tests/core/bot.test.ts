import { describe, expect, it } from 'vitest';
import { cleanInput } from '../../src/bot.ts';
import { MAX_QUESTION_LENGTH } from '../../src/bot-types.ts';
import { PaperbotError } from '../../src/errors.ts';
import { useBundledRuntime } from '../helpers/temp-index.ts';

describe('bot over the bundled corpus', () => {
  const bundled = useBundledRuntime();

  it('answers a follow-up from the papers of the previous answer', async () => {
    const first = await bundled.runtime.bot.ask(
      'Which papers argue that intermediate layers give better representations than the last layer?',
    );
    expect(first.declined).toBe(false);
    const history = [
      {
        role: 'user' as const,
        text: 'Which papers argue that intermediate layers give better representations than the last layer?',
      },
      {
        role: 'assistant' as const,
        text: `${first.answer}\n${first.sources.map((source) => `[${source.n}] ${source.title}`).join('\n')}`,
      },
    ];
    const followUp = await bundled.runtime.bot.ask('and which of those use state-space models?', { history });
    expect(followUp.declined).toBe(false);
    const cited = followUp.citations.map((citation) => citation.paperId);
    expect(cited.length).toBeGreaterThan(0);
    // Only papers of the first answer, and only those whose abstracts mention state-space models.
    const firstIds = first.citations.map((citation) => citation.paperId);
    expect(cited.every((id) => firstIds.includes(id))).toBe(true);
    for (const id of cited) expect(bundled.runtime.index.get(id)?.abstract).toMatch(/state.space/i);
  });

  it('without history the same short question is treated on its own', async () => {
    const answer = await bundled.runtime.bot.ask('and which of those use state-space models?');
    expect(answer.citations.map((citation) => citation.paperId)).not.toEqual([]);
  });

  it('reads a misspelt question naming a year as the corpus words, like every other path', async () => {
    const spelt = await bundled.runtime.bot.ask(
      'which papers from 2024 say intermediate layers give better representations than the last layer?',
    );
    const misspelt = await bundled.runtime.bot.ask(
      'which papers from 2024 say intermedate layers give beter representatons than the last layer?',
    );
    // The answerer was given the misspelt words: one paper, "none uses "intermedate", ...".
    expect(misspelt.citations).toEqual(spelt.citations);
    expect(misspelt).toMatchObject({ outcome: spelt.outcome, confidence: spelt.confidence });
    expect(misspelt.answer).not.toMatch(/none uses/);
    expect(misspelt.answer).toBe(
      `(Read "intermedate" as "intermediate", "beter" as "better", "representatons" as "representations".) ${spelt.answer}`,
    );
  });

  it('rejects empty and over-long questions with coded errors', async () => {
    await expect(bundled.runtime.bot.ask('  \u0000 \n ')).rejects.toMatchObject({ code: 'QUESTION_EMPTY' });
    await expect(bundled.runtime.bot.ask('x'.repeat(MAX_QUESTION_LENGTH + 1))).rejects.toMatchObject({
      code: 'QUESTION_TOO_LONG',
    });
    await expect(bundled.runtime.bot.search('')).rejects.toBeInstanceOf(PaperbotError);
  });

  it('survives hostile markup and control characters', async () => {
    const answer = await bundled.runtime.bot.ask(
      '<!channel> @everyone [click](http://evil.example) \u0007\u0000 successor heads?',
    );
    expect(answer.answer.length).toBeGreaterThan(0);
    expect(answer.answer).not.toContain('\u0000');
  });
});

describe('cleanInput', () => {
  it('drops control characters and lone surrogates and collapses whitespace', () => {
    expect(cleanInput('a\u0000b\u0007c\n\n d\ud800')).toBe('a b c d');
  });
});
