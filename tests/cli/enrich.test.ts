import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedServer } from '../fakes/feed-server.ts';
import { runCli } from '../helpers/run-cli.ts';
import { copyBundledIndex } from '../helpers/temp-index.ts';
import { ARXIV_CURRENT, arxivFixture } from '../ingest/ingest-fixtures.ts';

describe('paperbot enrich', () => {
  let temp: ReturnType<typeof copyBundledIndex>;
  let server: FeedServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    temp = copyBundledIndex();
    // Every title search gets the recorded feed, which holds "GF-DiT: Scheduling Parallelism for
    // Diffusion Transformer Serving" and none of the bundled titles.
    server = await FeedServer.start(() => ({ body: arxivFixture(ARXIV_CURRENT) }));
    env = { PAPERBOT_INDEX_DIR: temp.dir, ARXIV_API_URL: server.url };
  });
  afterAll(async () => {
    await server.close();
    temp.cleanup();
  });

  it('--dry-run lists the match and writes nothing; the real run fills id, date and links', async () => {
    const file = join(temp.dir, '..', 'local.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ id: 'local-gfdit', title: 'GF-DiT: scheduling parallelism for diffusion transformers serving', abstract: 'Serving diffusion transformers with scheduled parallelism.' })}\n`,
    );
    expect((await runCli(['ingest', 'file', file], env)).code).toBe(0);

    const dry = await runCli(['enrich', 'local-gfdit', 'seed-098', '--dry-run', '--json'], env);
    expect(dry.code).toBe(0);
    const report = JSON.parse(dry.stdout);
    expect(report).toMatchObject({ dryRun: true, threshold: 0.9, looked: 2, matched: 1, noMatch: 1 });
    const [match, none] = report.results;
    expect(match).toMatchObject({
      paperId: 'local-gfdit',
      status: 'matched',
      arxivId: expect.stringMatching(/^2606\./),
    });
    expect(Object.keys(match.fills)).toEqual(['arxivId', 'authors', 'publishedAt', 'links']);
    expect(none).toMatchObject({ paperId: 'seed-098', status: 'no-match' });
    expect(
      JSON.parse((await runCli(['papers', 'show', 'local-gfdit', '--json'], env)).stdout).arxivId,
    ).toBeUndefined();

    const real = await runCli(['enrich', 'local-gfdit'], env);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/1 looked up, 1 filled/);
    const shown = JSON.parse((await runCli(['papers', 'show', 'local-gfdit', '--json'], env)).stdout);
    expect(shown).toMatchObject({
      id: 'local-gfdit',
      arxivId: match.arxivId,
      link: `https://arxiv.org/abs/${match.arxivId}`,
      published: expect.stringMatching(/^2026-06/),
    });
    expect(shown.authors.length).toBeGreaterThan(0);
    expect((await runCli(['enrich', 'nope-1'], env)).code).toBe(1);
  }, 300_000);
});
