/**
 * ANN at scale: hnswlib-node and/or pgvector's HNSW on the same synthetic clustered unit vectors,
 * against native exact scans in the same run (hnswlib-node's `BruteforceSearch`, pgvector's
 * sequential scan). The JS loop `exactTopK` gives the ground truth only. Build time, memory (index
 * RSS in a fresh process, bytes on disk), load time, and for several ef the recall@10, queries per
 * second and CPU per query.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import hnswlib from 'hnswlib-node';
import { DEFAULT_HNSW } from '../src/retrieval/hnsw-vector-store.ts';
import { type AtRecall, atRecall, countHits, K, measureBruteforce, processCpuMs } from './ann-exact.ts';
import type { PgvectorResult } from './ann-pgvector.ts';
import { progress, since } from './report.ts';
import { ClusteredVectors, exactTopK, rowArray } from './synthetic-vectors.ts';

/** Which engines to measure (`--store`). */
export type AnnStore = 'hnswlib' | 'pgvector' | 'both';

export interface AnnOptions {
  n: number;
  dim: number;
  m?: number;
  efConstruction?: number;
  efs?: number[];
  queries?: number;
  seed?: number;
  /** Default `hnswlib` (no database needed). */
  store?: AnnStore;
  /** Needed when `store` includes pgvector. */
  databaseUrl?: string;
  /** Wall-time budget of each native exact scan, ms (default 8,000). */
  exactBudgetMs?: number;
}

export interface AnnRow {
  ef: number;
  recall10: number;
  qps: number;
  /** QPS over the native exact scan's (`exactQps`). */
  speedupOverExact: number;
  /** CPU of this process per query, ms (hnswlib searches on the calling thread). */
  cpuMsPerQuery: number;
}

/**
 * The interface document of `npm run bench -- ann --n <count> --dim <d> --json`. The hnswlib
 * fields (`buildSeconds` to `diskBytes`, `rows`, `atRecall95`) are absent or empty with
 * `--store pgvector`; `pgvector` is present with `--store pgvector|both`.
 */
export interface AnnResult {
  n: number;
  dim: number;
  store: AnnStore;
  buildSeconds?: number;
  /** CPU seconds of this process while building (one thread). */
  buildCpuSeconds?: number;
  loadSeconds?: number;
  rssBytes?: number;
  diskBytes?: number;
  /** Native exact QPS: hnswlib-node's `BruteforceSearch`, single-threaded. */
  exactQps: number;
  /** recall@10 of `BruteforceSearch` against the JS loop (float ties aside, 1). */
  exactRecall10: number;
  /** CPU of this process per `BruteforceSearch` query, ms. */
  exactCpuMsPerQuery: number;
  /** The JS loop's QPS (`exactTopK`, the ground truth); not a baseline for speedups. */
  jsExactQps: number;
  rows: AnnRow[];
  /** hnswlib-node at recall@10 >= 0.95. */
  atRecall95?: AtRecall;
  pgvector?: PgvectorResult;
}

/** Everything measured, of which `AnnResult` is the public part. */
export interface AnnDetails {
  result: AnnResult;
  /** Queries the native exact scan timed (bounded by its budget). */
  exactQueries: number;
  m: number;
  efConstruction: number;
  queries: number;
  clusters: number;
  generateSeconds: number;
  vectorsPerSecond?: number;
  rawVectorBytes: number;
  linkBytes: number;
  memoryRatio?: number;
}

export const DEFAULT_EFS = [10, 20, 40, 80, 100, 160, 320];
const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const RUN_TS = join(BENCH_DIR, '..', 'bin', 'run-ts.mjs');

/**
 * Graph link bytes hnswlib allocates: level 0 has 2M links of 4 bytes plus a 4-byte count per
 * element; an element reaches level l >= 1 with probability M^-l, each upper level holding M links
 * plus a count, so the expected upper-level bytes per element are (4M + 4) / (M - 1).
 */
export function expectedLinkBytes(n: number, m: number): number {
  return n * (2 * m * 4 + 4) + (n * (4 * m + 4)) / (m - 1);
}

function defaultQueries(n: number): number {
  if (n <= 20_000) return 1000;
  if (n <= 200_000) return 300;
  return 100;
}

interface HnswlibMeasure {
  buildSeconds: number;
  buildCpuSeconds: number;
  disk: { loadSeconds: number; rssBytes: number; diskBytes: number };
  rows: AnnRow[];
}

function measureHnswlib(input: {
  data: Float32Array;
  dim: number;
  m: number;
  efConstruction: number;
  seed: number;
  efs: number[];
  queryArrays: number[][];
  truth: number[][];
  exactQps: number;
  label: string;
}): HnswlibMeasure {
  const { data, dim, m, efConstruction, label, queryArrays, truth } = input;
  const n = data.length / dim;
  progress(`[ann ${label}] hnswlib-node: building (M=${m}, efConstruction=${efConstruction})...`);
  const index = new hnswlib.HierarchicalNSW('ip', dim);
  index.initIndex({ maxElements: n, m, efConstruction, randomSeed: input.seed });
  const buildCpuStart = processCpuMs();
  let start = performance.now();
  let lastReport = start;
  for (let row = 0; row < n; row++) {
    index.addPoint(rowArray(data, dim, row), row);
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      const rate = (row + 1) / (since(start) / 1000);
      progress(`  ${row + 1}/${n} (${Math.round(rate)}/s, ETA ${Math.round((n - row) / rate)} s)`);
    }
  }
  const buildSeconds = since(start) / 1000;
  const buildCpuSeconds = (processCpuMs() - buildCpuStart) / 1000;
  const disk = writeAndLoad(index, dim, label);

  const rows: AnnRow[] = [];
  for (const ef of input.efs) {
    index.setEf(Math.max(ef, K));
    let found = 0;
    queryArrays.forEach((query, position) => {
      found += countHits(truth[position]!, index.searchKnn(query, K).neighbors);
    });
    // Time whole passes over the queries until at least half a second has elapsed.
    let passes = 0;
    const cpuStart = processCpuMs();
    start = performance.now();
    do {
      for (const query of queryArrays) index.searchKnn(query, K);
      passes++;
    } while (since(start) < 500);
    const qps = (passes * queryArrays.length) / (since(start) / 1000);
    rows.push({
      ef,
      recall10: found / (queryArrays.length * K),
      qps,
      speedupOverExact: qps / input.exactQps,
      cpuMsPerQuery: (processCpuMs() - cpuStart) / (passes * queryArrays.length),
    });
  }
  return { buildSeconds, buildCpuSeconds, disk, rows };
}

/** Bytes on disk, and load time and RSS growth of a fresh process reading the file. */
function writeAndLoad(index: hnswlib.HierarchicalNSW, dim: number, label: string): HnswlibMeasure['disk'] {
  const directory = mkdtempSync(join(tmpdir(), 'paperbot-bench-'));
  const file = join(directory, 'index.hnsw');
  try {
    index.writeIndexSync(file);
    const diskBytes = statSync(file).size;
    progress(`[ann ${label}] hnswlib-node: loading in a fresh process...`);
    const output = execFileSync(
      process.execPath,
      [RUN_TS, join(BENCH_DIR, 'ann-load.ts'), file, String(dim)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    const loaded = JSON.parse(output) as {
      loadSeconds: number;
      rssBeforeBytes: number;
      rssAfterBytes: number;
    };
    return {
      loadSeconds: loaded.loadSeconds,
      rssBytes: loaded.rssAfterBytes - loaded.rssBeforeBytes,
      diskBytes,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export async function runAnnOne(options: AnnOptions): Promise<AnnDetails> {
  const { n, dim } = options;
  const m = options.m ?? DEFAULT_HNSW.m;
  const efConstruction = options.efConstruction ?? DEFAULT_HNSW.efConstruction;
  const efs = options.efs ?? DEFAULT_EFS;
  const queryCount = options.queries ?? defaultQueries(n);
  const seed = options.seed ?? 7;
  const clusters = Math.max(16, Math.round(Math.sqrt(n)));
  const label = `${n.toLocaleString('en-US')} x ${dim}`;

  progress(`[ann ${label}] generating ${clusters} clusters (seed ${seed})...`);
  let start = performance.now();
  const shape = new ClusteredVectors({ dim, clusters, seed });
  const data = shape.generate(n, seed + 1);
  const queryData = shape.generate(queryCount, seed + 2);
  const generateSeconds = since(start) / 1000;

  progress(`[ann ${label}] ground truth (JS loop) for ${queryCount} queries...`);
  const queries = Array.from({ length: queryCount }, (_, row) =>
    queryData.subarray(row * dim, (row + 1) * dim),
  );
  start = performance.now();
  const truth = queries.map((query) => exactTopK(data, dim, query, K));
  const jsExactQps = queryCount / (since(start) / 1000);
  const queryArrays = queries.map((query) => Array.from(query));
  const exactBudgetMs = options.exactBudgetMs ?? 8000;

  progress(`[ann ${label}] native exact: hnswlib-node BruteforceSearch...`);
  const exact = measureBruteforce(data, dim, queryArrays, truth, exactBudgetMs);

  const store = options.store ?? 'hnswlib';
  const hnsw =
    store === 'pgvector'
      ? undefined
      : measureHnswlib({
          data,
          dim,
          m,
          efConstruction,
          seed,
          efs,
          queryArrays,
          truth,
          exactQps: exact.qps,
          label,
        });
  let pgvector: PgvectorResult | undefined;
  if (store !== 'hnswlib') {
    if (!options.databaseUrl) {
      throw new Error(
        '--store pgvector needs a database: pass --database-url postgres://... or set DATABASE_URL',
      );
    }
    progress(`[ann ${label}] pgvector...`);
    const { runPgvector } = await import('./ann-pgvector.ts');
    pgvector = await runPgvector({
      databaseUrl: options.databaseUrl,
      data,
      dim,
      queries,
      truth,
      m,
      efConstruction,
      efs,
      exactBudgetMs,
    });
  }

  const rawVectorBytes = n * dim * 4;
  const linkBytes = expectedLinkBytes(n, m);
  return {
    result: {
      n,
      dim,
      store,
      ...(hnsw
        ? { ...hnsw.disk, buildSeconds: hnsw.buildSeconds, buildCpuSeconds: hnsw.buildCpuSeconds }
        : {}),
      exactQps: exact.qps,
      exactRecall10: exact.recall10,
      exactCpuMsPerQuery: exact.cpuMsPerQuery,
      jsExactQps,
      rows: hnsw?.rows ?? [],
      ...(hnsw ? { atRecall95: atRecall(hnsw.rows, 0.95) } : {}),
      ...(pgvector ? { pgvector } : {}),
    },
    exactQueries: exact.queries,
    m,
    efConstruction,
    queries: queryCount,
    clusters,
    generateSeconds,
    vectorsPerSecond: hnsw ? n / hnsw.buildSeconds : undefined,
    rawVectorBytes,
    linkBytes,
    memoryRatio: hnsw ? hnsw.disk.rssBytes / (rawVectorBytes + linkBytes) : undefined,
  };
}
