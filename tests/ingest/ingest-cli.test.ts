import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.ts';
import { FeedServer } from '../fakes/feed-server.ts';
import { runCli } from '../helpers/run-cli.ts';
import { copyBundledIndex } from '../helpers/temp-index.ts';
import { ARXIV_LEGACY, arxivFixture, HF_DAY_0612, hfFixture } from './ingest-fixtures.ts';

/** The first six items of the recorded 2026-06-12 day (embedding all 30 offline takes ~15 s). */
const DAY_ITEMS = (JSON.parse(hfFixture(HF_DAY_0612)) as unknown[]).slice(0, 6);
const ANNOTATION_PAPER = '2606.00467';

describe('paperbot ingest (CLI, bundled index copy, offline embeddings)', () => {
  let temp: ReturnType<typeof copyBundledIndex>;
  let server: FeedServer;
  let env: Record<string, string>;
  let upvotes = 0;
  const requestedDays: string[] = [];
  beforeAll(async () => {
    temp = copyBundledIndex();
    server = await FeedServer.start((request) => {
      if (request.path === '/api/query') return { body: arxivFixture(ARXIV_LEGACY) };
      const day = request.query.get('date');
      if (day) requestedDays.push(day);
      if (day !== '2026-06-12' || request.query.get('p') !== '0') return { body: '[]' };
      const items = structuredClone(DAY_ITEMS) as { paper: { upvotes: number } }[];
      items[0]!.paper.upvotes = upvotes;
      return { body: JSON.stringify(items) };
    });
    env = { PAPERBOT_INDEX_DIR: temp.dir, HF_API_URL: server.url, ARXIV_API_URL: server.url };
  });
  afterAll(async () => {
    await server.close();
    temp.cleanup();
  });

  it('--dry-run shows what would change and writes nothing', async () => {
    const result = await runCli(['ingest', 'hf', '--date', '2026-06-12', '--dry-run'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Dry run \(nothing written\): hf: fetched 6, new 6, updated 0/);
    expect(result.stdout).toContain(`would add: ${ANNOTATION_PAPER}`);
    expect(existsSync(join(temp.dir, 'paperbot.db'))).toBe(false);
  });

  it('--dry-run of a file refuses a runaway id by line and limit, and warns once about unknown keys', async () => {
    const file = join(temp.dir, '..', 'odd.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: '2501.00009', title: 'Fine', abstract: 'A fine paper.', venue: 'X', year: 1 }),
        JSON.stringify({ id: 'x'.repeat(2_000), title: 'Long id', abstract: 'An abstract.', venue: 'Y' }),
      ].join('\n'),
    );
    const result = await runCli(['ingest', 'file', file, '--dry-run'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /skipped .*odd\.jsonl:2: id: "x{40}\.\.\." is 2000 characters; an id is at most 128 characters/,
    );
    expect(result.stdout.length).toBeLessThan(1_000);
    expect(result.stderr.match(/ignored unknown fields venue, year/g)).toHaveLength(1);
    expect(existsSync(join(temp.dir, 'paperbot.db'))).toBe(false);
  });

  it('hf --since without --until fetches every day through today (UTC)', async () => {
    const today = new Date();
    const yesterday = new Date(today.getTime() - 86_400_000).toISOString().slice(0, 10);
    requestedDays.length = 0;
    const result = await runCli(['ingest', 'hf', '--since', yesterday, '--dry-run', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(new Set(requestedDays)).toEqual(new Set([yesterday, new Date().toISOString().slice(0, 10)]));
  });

  it('arxiv --ids names the ids arXiv does not have', async () => {
    const result = await runCli(
      ['ingest', 'arxiv', '--ids', '2510.14968v2,2401.99999', '--dry-run', '--json'],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ notFound: ['2401.99999'] });
    const text = await runCli(['ingest', 'arxiv', '--ids', '2401.99999', '--dry-run'], env);
    expect(text.stdout, text.stderr).toMatch(/not found on arXiv: 2401\.99999/);
  });

  it('ingests a day, then search and ask find the new papers', async () => {
    const result = await runCli(['ingest', 'hf', '--date', '2026-06-12', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ fetched: 6, new: 6, updated: 0, seeded: 119, storeSize: 125 });
    expect(summary.index).toMatchObject({ added: 6, size: 125 });

    const search = await runCli(
      ['search', 'model-internalized priors in zero-shot annotation', '--json'],
      env,
    );
    expect(search.code, search.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(search.stdout))).toContain(ANNOTATION_PAPER);

    const ask = await runCli(
      ['ask', 'How do model-internalized priors limit LLM zero-shot annotation?', '--json'],
      env,
    );
    expect(ask.code, ask.stderr).toBe(0);
    const answer = JSON.parse(ask.stdout);
    expect(answer.declined).toBe(false);
    expect(answer.sources.map((source: { paperId: string }) => source.paperId)).toContain(ANNOTATION_PAPER);
    // Three child processes that each load the embedding model: over a minute on a busy 2-core machine.
  }, 120_000);

  it('the same day again adds nothing and updates the upvotes', async () => {
    upvotes = 41;
    const result = await runCli(['ingest', 'hf', '--date', '2026-06-12', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      new: 0,
      updated: 1,
      updatedIds: [ANNOTATION_PAPER],
      unchanged: 5,
      storeSize: 125,
      index: { added: 0, reembedded: 0, refreshed: 1, size: 125 },
    });
    const database = openDatabase(join(temp.dir, 'paperbot.db'));
    expect(database.prepare('SELECT upvotes FROM papers WHERE id = ?').get(ANNOTATION_PAPER)).toEqual({
      upvotes: 41,
    });
    database.close();
  });

  it('ingests arXiv results and a JSONL file, reporting skipped lines with reasons', async () => {
    const arxiv = await runCli(
      ['ingest', 'arxiv', '--query', 'cat:cs.RO', '--since', '2025-10-01', '--max', '2', '--json'],
      env,
    );
    expect(arxiv.code, arxiv.stderr).toBe(0);
    expect(JSON.parse(arxiv.stdout)).toMatchObject({
      fetched: 2,
      new: 2,
      newIds: ['2510.14968', expect.any(String)],
    });

    const file = join(temp.dir, '..', 'papers.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ id: '2501.00001v3', title: 'Tiny file paper', abstract: 'A paper from a file.' })}\n{not json\n`,
    );
    const result = await runCli(['ingest', 'file', file], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/file: fetched 2, new 1, updated 0, unchanged 0, skipped 1/);
    expect(result.stdout).toMatch(/skipped .*papers\.jsonl:2: invalid JSON/);
  });

  it('exits 2 with usage on a bad command line', async () => {
    const result = await runCli(['ingest', 'hf'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs --date, --since or --latest/);
    const badDate = await runCli(['ingest', 'hf', '--date', '2026-13-45', '--json'], env);
    expect(badDate.code).toBe(2);
    expect(JSON.parse(badDate.stdout).error).toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/2026-13-45/),
    });
  });
});
