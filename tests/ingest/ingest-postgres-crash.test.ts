import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import type { Paper } from '../../src/corpus/paper.ts';
import { openPostgres, type PostgresPool } from '../../src/postgres/connection.ts';
import { paperPassages } from '../../src/retrieval/paper-index.ts';
import { type OutputChild, startOutputChild } from '../helpers/output-child.ts';
import { describePostgres } from '../helpers/postgres.ts';

const RUN_TS = join(PACKAGE_ROOT, 'bin', 'run-ts.mjs');
const CHILD = join(PACKAGE_ROOT, 'tests', 'fakes', 'ingest-postgres-child.ts');

const papers: Paper[] = Array.from({ length: 10 }, (_, n) => ({
  id: `2606.${String(n + 1).padStart(5, '0')}v1`,
  title: `Paper ${n} on retrieval`,
  abstract: `We study retrieval variant ${n}. It improves recall. Results hold on three sets.`,
}));

function runChild(databaseUrl: string, file: string, env: Record<string, string>): OutputChild {
  return startOutputChild([RUN_TS, CHILD, databaseUrl, file], env);
}

describePostgres('ingest into PostgreSQL killed with SIGKILL half way', (databaseUrl) => {
  let dir = '';
  let file = '';
  let pool: PostgresPool;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperbot-pg-crash-'));
    file = join(dir, 'papers.jsonl');
    writeFileSync(file, `${papers.map((paper) => JSON.stringify(paper)).join('\n')}\n`);
    pool = await openPostgres(databaseUrl());
  });
  afterAll(async () => {
    await pool?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  const passageCounts = async () => {
    const { rows } = await pool.query<{ paper_id: string; n: string }>(
      'SELECT paper_id, COUNT(*) AS n FROM passages GROUP BY paper_id',
    );
    return new Map(rows.map((row) => [row.paper_id, Number(row.n)]));
  };

  it('loses nothing and duplicates nothing when rerun', async () => {
    const killed = runChild(databaseUrl(), file, { HANG_AT_EMBED: '3', BATCH_SIZE: '2' });
    await killed.waitFor(/embed 3\n/);
    killed.process.kill('SIGKILL');
    expect(await killed.exit).toBeNull();
    // Every paper was stored (one transaction), each exactly once; two batches were embedded whole.
    const stored = await pool.query<{ id: string }>('SELECT id FROM papers ORDER BY id');
    expect(stored.rows.map((row) => row.id)).toEqual(papers.map((paper) => paper.id.replace(/v1$/, '')));
    const partial = await passageCounts();
    expect(partial.size).toBe(4);
    for (const [id, count] of partial) {
      const paper = papers.find((candidate) => candidate.id.startsWith(id)) as Paper;
      expect(count).toBe(paperPassages(paper).length);
    }

    const rerun = runChild(databaseUrl(), file, { BATCH_SIZE: '2' });
    expect(await rerun.exit).toBe(0);
    expect(rerun.output()).toMatch(/done .*"index":\{"added":6,"reembedded":0/);
    const complete = await passageCounts();
    expect(complete.size).toBe(papers.length);
    for (const paper of papers) {
      expect(complete.get(paper.id.replace(/v1$/, ''))).toBe(paperPassages(paper).length);
    }
    const again = runChild(databaseUrl(), file, {});
    expect(await again.exit).toBe(0);
    expect(again.output()).toMatch(/done .*"unchanged":10.*"index":\{"added":0,"reembedded":0/);
  }, 120_000);
});
