import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { DEFAULT_INDEX_DIR, loadConfig } from '../../src/config/config.ts';
import { LocalEmbeddings } from '../../src/embeddings/local-embeddings.ts';
import { silentLogger } from '../../src/logger.ts';
import { HybridRetriever } from '../../src/retrieval/hybrid-retriever.ts';
import { PaperIndex } from '../../src/retrieval/paper-index.ts';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.ts';

/** A private copy of the bundled index, so a test never writes to the repository's `index/`. */
export function copyBundledIndex(): { dir: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'paperbot-test-'));
  const dir = join(root, 'index');
  cpSync(DEFAULT_INDEX_DIR, dir, {
    recursive: true,
    filter: (source) => !/paperbot\.db|\.tmp-|\.lock-/.test(source),
  });
  return { dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A private copy of the bundled index for the enclosing `describe`: made before all its tests, removed after. */
export function useBundledIndexCopy(): { readonly dir: string; readonly env: Record<string, string> } {
  let temp: ReturnType<typeof copyBundledIndex> | undefined;
  beforeAll(() => {
    temp = copyBundledIndex();
  });
  afterAll(() => temp?.cleanup());
  const dir = () => {
    if (!temp) throw new Error('useBundledIndexCopy: the index copy is only there inside tests');
    return temp.dir;
  };
  return {
    get dir() {
      return dir();
    },
    get env() {
      return { PAPERBOT_INDEX_DIR: dir() };
    },
  };
}

/**
 * A runtime over a private copy of the bundled index for the enclosing `describe`: created before
 * all its tests (after the `beforeAll` hooks registered earlier, so `env` may read a fake server's
 * URL), closed and removed after. `env` gives variables beside `PAPERBOT_INDEX_DIR`.
 */
export function useBundledRuntime(env: () => Record<string, string> = () => ({})): {
  readonly runtime: Runtime;
} {
  let opened: { runtime: Runtime; temp: ReturnType<typeof copyBundledIndex> } | undefined;
  beforeAll(async () => {
    const temp = copyBundledIndex();
    const runtime = await createRuntime(
      loadConfig({ ...env(), PAPERBOT_INDEX_DIR: temp.dir }),
      silentLogger(),
    );
    opened = { runtime, temp };
  });
  afterAll(async () => {
    await opened?.runtime.close();
    opened?.temp.cleanup();
  });
  return {
    get runtime() {
      if (!opened) throw new Error('useBundledRuntime: the runtime is only there inside tests');
      return opened.runtime;
    },
  };
}

/**
 * The bundled index (a private copy, local embeddings on the main thread) for the enclosing
 * `describe`, with the hybrid retriever over it: opened before all its tests, removed after.
 */
export function useBundledPaperIndex(): { readonly index: PaperIndex; readonly retriever: HybridRetriever } {
  let opened: { index: PaperIndex; temp: ReturnType<typeof copyBundledIndex> } | undefined;
  beforeAll(async () => {
    const temp = copyBundledIndex();
    opened = { temp, index: await PaperIndex.open(temp.dir, new LocalEmbeddings({ workers: 0 })) };
  });
  afterAll(() => opened?.temp.cleanup());
  const index = () => {
    if (!opened) throw new Error('useBundledPaperIndex: the index is only there inside tests');
    return opened.index;
  };
  return {
    get index() {
      return index();
    },
    get retriever() {
      return new HybridRetriever(index(), { embedTimeoutMs: 60_000 });
    },
  };
}
