/**
 * The pgvector runner of the ANN benchmark on a small set: with ef_search above the row count
 * the HNSW scan must find the exact top 10, as must the sequential scan and hnswlib-node's
 * BruteforceSearch. Needs a PostgreSQL server with pgvector: skipped, with a notice, when
 * DATABASE_URL is unset.
 */
import { describe, expect, it } from 'vitest';
import { measureBruteforce } from '../../bench/ann-exact.ts';
import { runPgvector } from '../../bench/ann-pgvector.ts';
import { ClusteredVectors, exactTopK } from '../../bench/synthetic-vectors.ts';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.warn('[ann-pgvector.test] SKIPPED: DATABASE_URL is unset (needs PostgreSQL with pgvector)');
}

describe.skipIf(!databaseUrl)('pgvector ANN bench runner', () => {
  it('finds the exact top 10 of 200 vectors at high ef, like the native exact scans', async () => {
    const dim = 32;
    const shape = new ClusteredVectors({ dim, clusters: 16, seed: 3 });
    const data = shape.generate(200, 4);
    const queryData = shape.generate(20, 5);
    const queries = Array.from({ length: 20 }, (_, row) => queryData.subarray(row * dim, (row + 1) * dim));
    const truth = queries.map((query) => exactTopK(data, dim, query, 10));

    const native = measureBruteforce(
      data,
      dim,
      queries.map((query) => Array.from(query)),
      truth,
      10_000,
    );
    expect(native.recall10).toBe(1);

    const result = await runPgvector({
      databaseUrl: databaseUrl!,
      data,
      dim,
      queries,
      truth,
      m: 16,
      efConstruction: 64,
      efs: [10, 400],
      exactBudgetMs: 10_000,
    });
    expect(result.exact.recall10).toBe(1);
    expect(result.exact.queries).toBe(20);
    const high = result.rows.find((row) => row.ef === 400);
    expect(high?.recall10).toBe(1);
    expect(result.indexBytes).toBeGreaterThan(0);
    expect(result.tableBytes).toBeGreaterThan(0);
    expect(result.atRecall95.ef).not.toBeNull();
  });
});
