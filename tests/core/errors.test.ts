import { describe, expect, it } from 'vitest';
import { type ErrorCode, hasCode, PaperbotError } from '../../src/errors.ts';

// Checked by `tsc --noEmit`, the first step of `npm test`: each expect-error directive below
// fails the type check if its misspelt code ever compiles.
function misspeltCodesDoNotCompile(error: unknown): boolean {
  // @ts-expect-error 'QUESTION_EMTPY' is not an ErrorCode
  const misspelt = hasCode(error, 'QUESTION_EMTPY');
  // @ts-expect-error a code nobody declared cannot be thrown
  const undeclared = new PaperbotError('SOMETHING_ELSE', 'message');
  // @ts-expect-error a plain string is not an ErrorCode
  const widened: ErrorCode = String('BUSY');
  return misspelt || undeclared instanceof Error || widened === 'BUSY';
}

describe('ErrorCode', () => {
  it('hasCode matches a PaperbotError by its declared code only', () => {
    const error = new PaperbotError('QUESTION_EMPTY', 'Ask a question: the text was empty.');
    expect(hasCode(error, 'QUESTION_EMPTY')).toBe(true);
    expect(hasCode(error, 'QUESTION_TOO_LONG')).toBe(false);
    expect(hasCode(new Error('QUESTION_EMPTY'), 'QUESTION_EMPTY')).toBe(false);
  });

  it('keeps the misspelt-code checks in the type-checked build', () => {
    // At run time the misspelt code simply never matches.
    expect(misspeltCodesDoNotCompile(new PaperbotError('BUSY', 'busy'))).toBe(true);
  });
});
