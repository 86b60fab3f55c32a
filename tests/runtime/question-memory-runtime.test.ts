import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { LocalEmbeddings } from '../../src/embeddings/local-embeddings.ts';
import { createLogger } from '../../src/logger.ts';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.ts';
import { copyBundledIndex } from '../helpers/temp-index.ts';

let runtime: Runtime | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await runtime?.close();
  cleanup?.();
  runtime = undefined;
});

describe('the question memory in the runtime', () => {
  it('is on by default, and a memory that cannot be read leaves retrieval working and is logged', async () => {
    const index = copyBundledIndex();
    cleanup = index.cleanup;
    const embeddings = new LocalEmbeddings({ workers: 0 });
    let logged = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    const config = loadConfig({ PAPERBOT_INDEX_DIR: index.dir });
    runtime = await createRuntime(config, createLogger('warn', stream), { embeddings });
    expect(runtime.questionMemory?.size).toBe(7505);
    await runtime.close();

    const broken = join(index.dir, 'judged.jsonl');
    writeFileSync(broken, '{"set": "a", "id": "a1", "text": "half a record"\n');
    runtime = await createRuntime(config, createLogger('warn', stream), {
      embeddings,
      questionMemoryPath: broken,
    });
    expect(runtime.questionMemory).toBeUndefined();
    expect(logged).toContain('question memory unavailable');
    expect(logged).toContain('judged.jsonl:1 is not valid JSON');
    const answer = await runtime.bot.ask(
      'Which paper freezes input embeddings made from images of Unicode glyphs?',
    );
    expect(answer.sources.map((source) => source.paperId)).toContain('seed-003');

    await runtime.close();
    runtime = await createRuntime(
      loadConfig({ PAPERBOT_INDEX_DIR: index.dir, PAPERBOT_QUESTION_MEMORY: 'off' }),
      createLogger('warn', stream),
      { embeddings },
    );
    expect(runtime.questionMemory).toBeUndefined();
  }, 120_000);
});
