import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLED_CORPUS_PATH, PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { LocalEmbeddings } from '../../src/embeddings/local-embeddings.ts';
import { PaperIndex } from '../../src/retrieval/paper-index.ts';
import { CLI } from '../helpers/run-cli.ts';
import { copyBundledIndex } from '../helpers/temp-index.ts';

describe('index build killed half way', () => {
  let temp: ReturnType<typeof copyBundledIndex>;
  beforeEach(() => {
    temp = copyBundledIndex();
  });
  afterEach(() => temp.cleanup());

  it('leaves the previous index usable', async () => {
    const before = await PaperIndex.open(temp.dir, new LocalEmbeddings());
    const checksum = before.manifest!.corpusChecksum;
    const child = spawn(process.execPath, [CLI, 'index', 'build', '--corpus', BUNDLED_CORPUS_PATH], {
      cwd: PACKAGE_ROOT,
      env: { PATH: process.env.PATH ?? '', PAPERBOT_INDEX_DIR: temp.dir },
    });
    // Kill it once it has embedded some papers but long before it finishes.
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        if (/Embedding \[[#-]+\] [1-9]\d*\//.test(chunk.toString())) resolve();
      });
      child.on('exit', () => reject(new Error('build finished before it could be killed')));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    const after = await PaperIndex.open(temp.dir, new LocalEmbeddings());
    expect(after.size).toBe(119);
    expect(after.manifest!.corpusChecksum).toBe(checksum);
    const vector = await after.embeddings.embedQuery('successor heads increment Monday to Tuesday');
    expect((await after.searchDense(vector, 1))[0]?.id).toBe('seed-099');
  });
});
