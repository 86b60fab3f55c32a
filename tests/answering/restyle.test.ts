import { describe, expect, it } from 'vitest';
import { RESTYLINGS, restyle } from '../../src/evaluation/restyle.ts';

describe('restyled training questions', () => {
  const question = 'How does Nugget encode a text: as one fixed-size vector, or as several?';

  it("puts one sentence of the asker's context before the question, unchanged", () => {
    const text = restyle(question, 'seed-q1', 'context');
    expect(text.endsWith(` ${question}`)).toBe(true);
    const context = text.slice(0, -question.length - 1);
    expect(context).toMatch(/^[A-Z].*[.:?]$/);
    expect(context.toLowerCase()).not.toContain('nugget');
  });

  it('writes a spoken transcript: a filler, lower case, no punctuation, the same words', () => {
    const text = restyle(question, 'seed-q1', 'spoken');
    expect(text).toMatch(/^(um so|ok so|hey|so like|right so) /);
    expect(text).not.toMatch(/[A-Z?:,.]/);
    expect(text).toContain('how does nugget encode a text as one fixed size vector or as several');
    expect(restyle("Is it BERT's 12-layer model?", 'x', 'spoken')).toContain("is it bert's 12 layer model");
  });

  it('is deterministic per question id and varies across ids', () => {
    for (const style of RESTYLINGS) {
      expect(restyle(question, 'team-a/a01', style)).toBe(restyle(question, 'team-a/a01', style));
    }
    const contexts = new Set(
      Array.from({ length: 40 }, (_, n) => restyle(question, `q${n}`, 'context').slice(0, -question.length)),
    );
    expect(contexts.size).toBeGreaterThan(5);
  });
});
