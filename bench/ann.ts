/**
 * ANN at scale: hnswlib-node on synthetic clustered unit vectors against exact brute force in the
 * same run. Build time, memory (index RSS in a fresh process, bytes on disk), load time, and for
 * several ef the recall@10 and queries per second.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import hnswlib from 'hnswlib-node';
import { DEFAULT_HNSW } from '../src/retrieval/hnsw-vector-store.ts';
import { formatBytes, progress, type Series, since, table, writeJson, writeSvg } from './report.ts';
import { ClusteredVectors, exactTopK, rowArray } from './synthetic-vectors.ts';

export interface AnnOptions {
  n: number;
  dim: number;
  m?: number;
  efConstruction?: number;
  efs?: number[];
  queries?: number;
  seed?: number;
}

export interface AnnRow {
  ef: number;
  recall10: number;
  qps: number;
  speedupOverExact: number;
}

/** The interface document of `npm run bench -- ann --n <count> --dim <d> --json`. */
export interface AnnResult {
  n: number;
  dim: number;
  buildSeconds: number;
  loadSeconds: number;
  rssBytes: number;
  diskBytes: number;
  exactQps: number;
  rows: AnnRow[];
}

/** Everything measured, of which `AnnResult` is the public part. */
export interface AnnDetails {
  result: AnnResult;
  m: number;
  efConstruction: number;
  queries: number;
  clusters: number;
  generateSeconds: number;
  vectorsPerSecond: number;
  rawVectorBytes: number;
  linkBytes: number;
  memoryRatio: number;
}

export const DEFAULT_EFS = [10, 20, 40, 80, 100, 160, 320];
const K = 10;
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

  progress(`[ann ${label}] exact brute force for ${queryCount} queries...`);
  const queries = Array.from({ length: queryCount }, (_, row) =>
    queryData.subarray(row * dim, (row + 1) * dim),
  );
  start = performance.now();
  const truth = queries.map((query) => exactTopK(data, dim, query, K));
  const exactQps = queryCount / (since(start) / 1000);

  progress(`[ann ${label}] building (M=${m}, efConstruction=${efConstruction})...`);
  const index = new hnswlib.HierarchicalNSW('ip', dim);
  index.initIndex({ maxElements: n, m, efConstruction, randomSeed: seed });
  start = performance.now();
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

  const directory = mkdtempSync(join(tmpdir(), 'paperbot-bench-'));
  const file = join(directory, 'index.hnsw');
  let loadSeconds: number;
  let rssBytes: number;
  let diskBytes: number;
  try {
    index.writeIndexSync(file);
    diskBytes = statSync(file).size;
    progress(`[ann ${label}] loading in a fresh process...`);
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
    loadSeconds = loaded.loadSeconds;
    rssBytes = loaded.rssAfterBytes - loaded.rssBeforeBytes;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }

  const queryArrays = queries.map((query) => Array.from(query));
  const rows: AnnRow[] = [];
  for (const ef of efs) {
    index.setEf(Math.max(ef, K));
    let found = 0;
    queryArrays.forEach((query, position) => {
      const expected = new Set(truth[position]);
      for (const neighbor of index.searchKnn(query, K).neighbors) if (expected.has(neighbor)) found++;
    });
    // Time whole passes over the queries until at least half a second has elapsed.
    let passes = 0;
    start = performance.now();
    do {
      for (const query of queryArrays) index.searchKnn(query, K);
      passes++;
    } while (since(start) < 500);
    const qps = (passes * queryCount) / (since(start) / 1000);
    rows.push({ ef, recall10: found / (queryCount * K), qps, speedupOverExact: qps / exactQps });
  }

  const rawVectorBytes = n * dim * 4;
  const linkBytes = expectedLinkBytes(n, m);
  return {
    result: { n, dim, buildSeconds, loadSeconds, rssBytes, diskBytes, exactQps, rows },
    m,
    efConstruction,
    queries: queryCount,
    clusters,
    generateSeconds,
    vectorsPerSecond: n / buildSeconds,
    rawVectorBytes,
    linkBytes,
    memoryRatio: rssBytes / (rawVectorBytes + linkBytes),
  };
}

export function describeAnn(details: AnnDetails): string {
  const { result } = details;
  const summary = table(
    [
      'n',
      'dim',
      'M',
      'efC',
      'build s',
      'vectors/s',
      'load s',
      'index RSS',
      'on disk',
      'RSS / (raw+links)',
      'exact QPS',
    ],
    [
      [
        result.n.toLocaleString('en-US'),
        result.dim,
        details.m,
        details.efConstruction,
        result.buildSeconds,
        details.vectorsPerSecond,
        result.loadSeconds,
        formatBytes(result.rssBytes),
        formatBytes(result.diskBytes),
        details.memoryRatio.toFixed(3),
        result.exactQps,
      ],
    ],
  );
  const rows = table(
    ['ef', 'recall@10', 'QPS', 'speedup over exact'],
    result.rows.map((row) => [
      row.ef,
      row.recall10.toFixed(4),
      row.qps,
      `${row.speedupOverExact.toFixed(1)}x`,
    ]),
  );
  return `${summary}\n\n${rows}`;
}

/** Runs several configurations, prints tables and writes `ann.json` and the two plots. */
export async function runAnn(configurations: AnnOptions[], name = 'ann'): Promise<AnnDetails[]> {
  const all: AnnDetails[] = [];
  for (const configuration of configurations) {
    const details = await runAnnOne(configuration);
    all.push(details);
    process.stdout.write(`\n${describeAnn(details)}\n`);
    writeJson(`ann-n${configuration.n}-d${configuration.dim}`, details);
  }
  writeJson(name, { runs: all });
  plotAnn(all, name);
  return all;
}

export function plotAnn(all: AnnDetails[], name: string): void {
  const recallSeries: Series[] = all.map((details) => ({
    label: `${details.result.n.toLocaleString('en-US')} x ${details.result.dim}`,
    points: details.result.rows.map((row) => [row.recall10, row.qps] as [number, number]),
  }));
  writeSvg(`${name}-recall-qps`, recallSeries, {
    title: 'HNSW recall@10 against queries per second (ef varies)',
    xLabel: 'recall@10',
    yLabel: 'queries per second (log)',
    logY: true,
  });
  const latency: Series[] = [];
  for (const dim of [...new Set(all.map((details) => details.result.dim))]) {
    const runs = all.filter((details) => details.result.dim === dim).sort((a, b) => a.result.n - b.result.n);
    const atEf = (ef: number) =>
      runs.flatMap((details) => {
        const row = details.result.rows.find((candidate) => candidate.ef === ef);
        return row ? [[details.result.n, 1000 / row.qps] as [number, number]] : [];
      });
    latency.push({ label: `HNSW ef=100, ${dim}-d`, points: atEf(100) });
    latency.push({
      label: `exact, ${dim}-d`,
      points: runs.map((details) => [details.result.n, 1000 / details.result.exactQps]),
    });
  }
  writeSvg(`${name}-latency-size`, latency, {
    title: 'Query latency against corpus size',
    xLabel: 'vectors (log)',
    yLabel: 'ms per query (log)',
    logX: true,
    logY: true,
  });
}
