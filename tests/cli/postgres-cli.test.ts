import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_INDEX_DIR } from '../../src/config/config.ts';
import { BUNDLED_CORPUS_PATH } from '../../src/corpus/bundled.ts';
import { type IndexManifest, MANIFEST_FILE } from '../../src/retrieval/index-manifest.ts';
import { describePostgres } from '../helpers/postgres.ts';
import { runCli } from '../helpers/run-cli.ts';
import { copyBundledIndex } from '../helpers/temp-index.ts';

const QUESTION =
  'Which papers argue that intermediate layers give better representations than the last layer?';
const bundled = JSON.parse(readFileSync(join(DEFAULT_INDEX_DIR, MANIFEST_FILE), 'utf8')) as IndexManifest;

let emptyDir = '';
beforeAll(() => {
  emptyDir = mkdtempSync(join(tmpdir(), 'paperbot-empty-index-'));
});
afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

function expectQuickStartAnswer(stdout: string): void {
  const answer = JSON.parse(stdout);
  expect(answer.declined).toBe(false);
  expect(answer.citations.map((citation: { paperId: string }) => citation.paperId)).toEqual(
    expect.arrayContaining(['seed-008', 'seed-018']),
  );
}

describePostgres('paperbot CLI on PostgreSQL: index build, then ask with an empty index directory', (url) => {
  const env = () => ({ DATABASE_URL: url(), PAPERBOT_INDEX_DIR: emptyDir, PAPERBOT_EMBED_WORKERS: '0' });

  it('index build loads and embeds the bundled corpus, and a rerun embeds nothing', async () => {
    const first = await runCli(['index', 'build', '--json'], env());
    expect(first.stderr).not.toMatch(/paperbot:/);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      papers: bundled.paperCount,
      added: bundled.paperCount,
      embedded: bundled.paperCount,
      vectors: bundled.vectorCount,
    });
    const second = await runCli(['index', 'build', '--json'], env());
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      papers: bundled.paperCount,
      added: 0,
      embedded: 0,
      upToDate: bundled.paperCount,
      vectors: bundled.vectorCount,
    });
  }, 600_000);

  it('ask answers the quick-start question from PostgreSQL only, citing the right papers', async () => {
    const result = await runCli(['ask', QUESTION, '--json'], env());
    expect(result.code).toBe(0);
    expectQuickStartAnswer(result.stdout);
    expect(readdirSync(emptyDir)).toEqual([]);
  }, 120_000);

  it('ingest says it does not run on PostgreSQL yet, and writes nothing locally', async () => {
    const result = await runCli(['ingest', 'file', BUNDLED_CORPUS_PATH], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/STORAGE_UNSUPPORTED/);
    expect(readdirSync(emptyDir)).toEqual([]);
  });
});

describePostgres('paperbot db copy and db migrate', (url) => {
  let temp: ReturnType<typeof copyBundledIndex>;
  beforeAll(() => {
    temp = copyBundledIndex();
  });
  afterAll(() => temp.cleanup());

  it('db migrate applies the schema once', async () => {
    const first = await runCli(['db', 'migrate', '--json'], { DATABASE_URL: url() });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).applied).toEqual([1]);
    const second = await runCli(['db', 'migrate'], { DATABASE_URL: url() });
    expect(second.stdout).toMatch(/up to date \(schema version 1\)/);
  }, 120_000);

  it('copies an embedded deployment without re-embedding, then answers from PostgreSQL', async () => {
    const copy = await runCli(['db', 'copy', '--to', url(), '--json'], { PAPERBOT_INDEX_DIR: temp.dir });
    expect(copy.stderr).not.toMatch(/paperbot:/);
    expect(copy.code).toBe(0);
    expect(JSON.parse(copy.stdout)).toMatchObject({
      papers: bundled.paperCount,
      papersWithVectors: bundled.paperCount,
      papersWithoutVectors: [],
      passages: bundled.vectorCount,
      embeddingModel: bundled.embeddingModel,
    });
    const build = await runCli(['index', 'build', '--json'], {
      DATABASE_URL: url(),
      PAPERBOT_INDEX_DIR: emptyDir,
      PAPERBOT_EMBED_WORKERS: '0',
    });
    expect(JSON.parse(build.stdout)).toMatchObject({ embedded: 0, upToDate: bundled.paperCount });
    const ask = await runCli(['ask', QUESTION, '--json'], {
      DATABASE_URL: url(),
      PAPERBOT_INDEX_DIR: emptyDir,
    });
    expect(ask.code).toBe(0);
    expectQuickStartAnswer(ask.stdout);
  }, 300_000);

  it('db copy refuses a URL that is not postgres', async () => {
    const result = await runCli(['db', 'copy', '--to', 'mysql://x'], { PAPERBOT_INDEX_DIR: temp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--to must be a postgres:\/\/ URL \(got "mysql:\/\/x"\)/);
  });
});
