import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_INDEX_DIR } from '../../src/config/config.ts';
import { BUNDLED_CORPUS_PATH } from '../../src/corpus/bundled.ts';
import { loadPapersJsonl } from '../../src/corpus/jsonl.ts';
import { POSTGRES_MIGRATIONS } from '../../src/postgres/migrations.ts';
import type { IndexManifest } from '../../src/retrieval/index-manifest.ts';
import { paperPassages } from '../../src/retrieval/paper-index.ts';
import { MANIFEST_FILE } from '../../src/storage/index-layout.ts';
import { describePostgres } from '../helpers/postgres.ts';
import { runCli } from '../helpers/run-cli.ts';
import { copyBundledIndex } from '../helpers/temp-index.ts';

const QUESTION =
  'Which papers argue that intermediate layers give better representations than the last layer?';
const bundled = JSON.parse(readFileSync(join(DEFAULT_INDEX_DIR, MANIFEST_FILE), 'utf8')) as IndexManifest;

// The first 24 bundled papers (the quick-start question's answers among them): embedding all 119
// takes minutes on a busy CI machine; `db copy` below moves the whole bundled index.
const subset = loadPapersJsonl(BUNDLED_CORPUS_PATH).papers.slice(0, 24);
const subsetPassages = subset.reduce((total, paper) => total + paperPassages(paper).length, 0);

let emptyDir = '';
let corpusDir = '';
let corpusFile = '';
beforeAll(() => {
  emptyDir = mkdtempSync(join(tmpdir(), 'paperbot-empty-index-'));
  corpusDir = mkdtempSync(join(tmpdir(), 'paperbot-corpus-'));
  corpusFile = join(corpusDir, 'subset.jsonl');
  writeFileSync(corpusFile, `${subset.map((paper) => JSON.stringify(paper)).join('\n')}\n`);
});
afterAll(() => {
  rmSync(emptyDir, { recursive: true, force: true });
  rmSync(corpusDir, { recursive: true, force: true });
});

function expectQuickStartAnswer(stdout: string): void {
  const answer = JSON.parse(stdout);
  expect(answer.declined).toBe(false);
  expect(answer.citations.map((citation: { paperId: string }) => citation.paperId)).toEqual(
    expect.arrayContaining(['seed-008', 'seed-018']),
  );
}

describePostgres('paperbot CLI on PostgreSQL: index build, then ask with an empty index directory', (url) => {
  const env = () => ({ DATABASE_URL: url(), PAPERBOT_INDEX_DIR: emptyDir, PAPERBOT_EMBED_WORKERS: '0' });

  it('index build --corpus loads and embeds the papers, and a rerun embeds nothing', async () => {
    const first = await runCli(['index', 'build', '--corpus', corpusFile, '--json'], env());
    expect(first.stderr).not.toMatch(/paperbot:/);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      papers: subset.length,
      added: subset.length,
      embedded: subset.length,
      vectors: subsetPassages,
    });
    const second = await runCli(['index', 'build', '--corpus', corpusFile, '--json'], env());
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      papers: subset.length,
      added: 0,
      embedded: 0,
      upToDate: subset.length,
      vectors: subsetPassages,
    });
  }, 600_000);

  it('ask answers the quick-start question from PostgreSQL only, citing the right papers', async () => {
    const result = await runCli(['ask', QUESTION, '--json'], env());
    expect(result.code).toBe(0);
    expectQuickStartAnswer(result.stdout);
    expect(readdirSync(emptyDir)).toEqual([]);
  }, 120_000);

  it('ingest file writes new papers to PostgreSQL once, and a rerun changes nothing', async () => {
    const feedDir = mkdtempSync(join(tmpdir(), 'paperbot-feed-'));
    try {
      const file = join(feedDir, 'new.jsonl');
      const fresh = [
        {
          id: '2606.00001v2',
          title: 'Probing middle layers of speech models',
          abstract: 'Middle layers of speech encoders hold the most phonetic information.',
        },
        {
          id: '2606.00002',
          title: 'Sparse autoencoders for vision transformers',
          abstract: 'We train sparse autoencoders on vision transformer activations.',
        },
      ];
      writeFileSync(file, `${fresh.map((paper) => JSON.stringify(paper)).join('\n')}\n`);
      const first = await runCli(['ingest', 'file', file, '--json'], env());
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({
        new: 2,
        newIds: ['2606.00001', '2606.00002'],
        index: { added: 2, reembedded: 0 },
        storeSize: subset.length + 2,
      });
      const again = await runCli(['ingest', 'file', file, '--json'], env());
      expect(JSON.parse(again.stdout)).toMatchObject({
        new: 0,
        unchanged: 2,
        index: { added: 0, reembedded: 0 },
      });
      expect(readdirSync(emptyDir)).toEqual([]);
    } finally {
      rmSync(feedDir, { recursive: true, force: true });
    }
  }, 300_000);
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
    expect(JSON.parse(first.stdout).applied).toEqual(POSTGRES_MIGRATIONS.map((_, position) => position + 1));
    const second = await runCli(['db', 'migrate'], { DATABASE_URL: url() });
    expect(second.stdout).toContain(`up to date (schema version ${POSTGRES_MIGRATIONS.length})`);
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
