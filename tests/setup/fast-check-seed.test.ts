import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CI_SEED } from './fast-check-global.ts';

describe('fast-check seed', () => {
  it('is the one seed of the run: fixed in CI (CI=true) or by FC_SEED, random otherwise', () => {
    const seed = fc.readConfigureGlobal().seed;
    expect(seed).toBe(Number(process.env.PAPERBOT_FC_SEED));
    if (process.env.FC_SEED) expect(seed).toBe(Number(process.env.FC_SEED));
    else if (process.env.CI === 'true') expect(seed).toBe(CI_SEED);
  });
});
