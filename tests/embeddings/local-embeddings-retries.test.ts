import { describe, expect, it } from 'vitest';
import { LocalEmbeddings } from '../../src/embeddings/local-embeddings.ts';

describe('LocalEmbeddings retries', () => {
  // LangChain's AsyncCaller default is 6 retries with exponential backoff (about a minute): with it,
  // this test runs into its 5 s timeout.
  it('fails a model call at once instead of retrying it', async () => {
    const embeddings = new LocalEmbeddings();
    let attempts = 0;
    const failing = async () => {
      attempts++;
      throw new Error('the model could not embed this batch');
    };
    await expect(embeddings.caller.call(failing)).rejects.toThrow('could not embed');
    expect(attempts).toBe(1);
  }, 5_000);

  it('still lets a caller choose retries', async () => {
    const embeddings = new LocalEmbeddings({ maxRetries: 1 });
    let attempts = 0;
    const flaky = async () => {
      attempts++;
      if (attempts === 1) throw new Error('first try fails');
      return 'ok';
    };
    expect(await embeddings.caller.call(flaky)).toBe('ok');
    expect(attempts).toBe(2);
  });
});
