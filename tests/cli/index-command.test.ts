import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.ts';
import { PaperStore } from '../../src/storage/paper-store.ts';
import { runCli } from '../helpers/run-cli.ts';

/** Two papers that only an ingest put in the database (the bundled corpus lacks them). */
const INGESTED = [
  {
    id: '2601.00001',
    title: 'Quokka behaviour',
    abstract: 'Quokkas smile at tourists on Rottnest Island.',
    source: 'hf',
  },
  {
    id: '2601.00002',
    title: 'Penguin diving',
    abstract: 'Emperor penguins dive deeper than any other bird.',
    source: 'hf',
  },
];

describe('paperbot index build and verify', () => {
  let root: string;
  let env: Record<string, string>;
  let corpus: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'paperbot-index-cli-'));
    const dir = join(root, 'index');
    mkdirSync(dir);
    const database = openDatabase(join(dir, 'paperbot.db'));
    new PaperStore(database).upsert(INGESTED);
    database.close();
    corpus = join(root, 'small.jsonl');
    writeFileSync(
      corpus,
      [
        JSON.stringify({
          id: 'a1',
          title: 'Bee dances',
          abstract: 'Honey bees tell food locations with waggle dances.',
        }),
        'not json',
        JSON.stringify({ id: 'a2', title: 'Beta', abstract: '' }),
        JSON.stringify({
          id: 'a3',
          title: 'Gamma',
          abstract: 'Gamma rays from distant galaxies.',
          venue: 'ApJ',
        }),
      ].join('\n'),
    );
    env = { PAPERBOT_INDEX_DIR: dir };
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('builds from the database (ingested papers stay searchable), adds --corpus papers and says where each came from', async () => {
    const result = await runCli(['index', 'build', '--corpus', corpus, '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/small\.jsonl:2: skipped: invalid JSON/);
    expect(result.stderr).toMatch(/small\.jsonl:3: skipped: abstract: abstract is empty/);
    expect(result.stderr).toMatch(/small\.jsonl: ignored unknown field venue/);
    expect(JSON.parse(result.stdout)).toMatchObject({
      papers: 4,
      skippedLines: 2,
      sources: { store: 2, seeded: 0, corpus: { papers: 2, new: 2, updated: 0, skippedLines: 2 } },
    });
    const ingested = await runCli(['search', 'penguins dive deep', '--json'], env);
    expect(JSON.parse(ingested.stdout)[0].paperId).toBe('2601.00002');
    const added = await runCli(['search', 'gamma rays', '--json'], env);
    expect(JSON.parse(added.stdout)[0].paperId).toBe('a3');
  });

  it('a second build without --corpus keeps the corpus papers (they were stored) and prints the sources', async () => {
    const result = await runCli(['index', 'build'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Indexed 4 papers .*\n {2}papers: 4 from the database\n$/);
  });

  it('index verify checks the checksum against every paper and compares with the database', async () => {
    const sound = await runCli(['index', 'verify', '--json'], env);
    expect(sound.code, sound.stderr).toBe(0);
    expect(JSON.parse(sound.stdout)).toMatchObject({
      ok: true,
      papers: 4,
      databasePapers: 4,
      missingFromIndex: [],
      notInDatabase: [],
    });
    const manifest = JSON.parse(readFileSync(join(env.PAPERBOT_INDEX_DIR!, 'manifest.json'), 'utf8'));
    const documents = join(env.PAPERBOT_INDEX_DIR!, manifest.files.documents);
    const original = readFileSync(documents, 'utf8');
    writeFileSync(documents, original.replace('Quokkas smile', 'Quokkas frown'));
    try {
      const damaged = await runCli(['index', 'verify', '--json'], env);
      expect(damaged.code).toBe(1);
      expect(JSON.parse(damaged.stdout)).toEqual({
        error: {
          code: 'INDEX_CORRUPT',
          message: expect.stringMatching(/paper 2601\.00001 was changed.*paperbot index build/),
        },
      });
    } finally {
      writeFileSync(documents, original);
    }
  });

  it('a manifest without files names the damage and the fix, on stdout too with --json', async () => {
    const path = join(env.PAPERBOT_INDEX_DIR!, 'manifest.json');
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, JSON.stringify({ ...JSON.parse(original), files: null }));
    try {
      const result = await runCli(['search', 'bees', '--json'], env);
      expect(result.code).toBe(1);
      expect(result.stderr).not.toMatch(/Cannot read properties/);
      expect(JSON.parse(result.stdout).error).toMatchObject({
        code: 'INDEX_CORRUPT',
        message: expect.stringMatching(/manifest\.json is damaged \(files: .*paperbot index build/),
      });
    } finally {
      writeFileSync(path, original);
    }
  });
});
