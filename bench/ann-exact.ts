/**
 * Shared pieces of the ANN benchmark: the native exact baseline (hnswlib-node's
 * `BruteforceSearch`, a C++ scan), recall against the JS ground truth, process CPU, and the
 * queries per second an engine reaches at a target recall.
 */
import hnswlib from 'hnswlib-node';
import { since } from './report.ts';
import { rowArray } from './synthetic-vectors.ts';

export const K = 10;

/** An exact (or nearly exact) scan measured on a bounded number of queries. */
export interface ExactMeasure {
  /** Queries per second, single-threaded. */
  qps: number;
  /** recall@10 against the JS loop's ground truth (1.0 unless float ties differ). */
  recall10: number;
  /** Queries timed (the scan stops after its time budget). */
  queries: number;
  /** CPU per query in ms: this process, plus the server backend when there is one. */
  cpuMsPerQuery: number;
}

/** User + system CPU of this process, in milliseconds. */
export function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Labels of `truth` found in `found`, for recall. */
export function countHits(truth: number[], found: readonly number[]): number {
  const expected = new Set(truth);
  let hits = 0;
  for (const label of found) if (expected.has(label)) hits++;
  return hits;
}

/**
 * Exact top-10 with hnswlib-node's `BruteforceSearch` (inner product), one query at a time, for
 * at most `budgetMs` of wall time (and at least 5 queries).
 */
export function measureBruteforce(
  data: Float32Array,
  dim: number,
  queries: number[][],
  truth: number[][],
  budgetMs: number,
): ExactMeasure & { addSeconds: number } {
  const count = data.length / dim;
  const index = new hnswlib.BruteforceSearch('ip', dim);
  index.initIndex(count);
  let start = performance.now();
  for (let row = 0; row < count; row++) index.addPoint(rowArray(data, dim, row), row);
  const addSeconds = since(start) / 1000;
  let hits = 0;
  let done = 0;
  const cpuStart = processCpuMs();
  start = performance.now();
  while (done < queries.length && (done < 5 || since(start) < budgetMs)) {
    hits += countHits(truth[done]!, index.searchKnn(queries[done]!, K).neighbors);
    done++;
  }
  const seconds = since(start) / 1000;
  return {
    qps: done / seconds,
    recall10: hits / (done * K),
    queries: done,
    cpuMsPerQuery: (processCpuMs() - cpuStart) / done,
    addSeconds,
  };
}

/** One point of a recall / throughput curve. */
export interface CurvePoint {
  ef: number;
  recall10: number;
  qps: number;
}

/** Throughput at a target recall: the lowest ef reaching it, and QPS interpolated on the curve. */
export interface AtRecall {
  /** Lowest measured ef whose recall@10 reaches the target, or null if none does. */
  ef: number | null;
  /** QPS at that ef. */
  qpsAtEf: number | null;
  /**
   * QPS linearly interpolated between the last ef below the target and the first at or above it
   * (equal to `qpsAtEf` when the smallest ef already reaches it).
   */
  qpsInterpolated: number | null;
}

export function atRecall(points: CurvePoint[], target: number): AtRecall {
  const sorted = [...points].sort((left, right) => left.ef - right.ef);
  const index = sorted.findIndex((point) => point.recall10 >= target);
  if (index < 0) return { ef: null, qpsAtEf: null, qpsInterpolated: null };
  const reached = sorted[index]!;
  const below = index > 0 ? sorted[index - 1] : undefined;
  let interpolated = reached.qps;
  if (below && reached.recall10 > below.recall10) {
    const fraction = (target - below.recall10) / (reached.recall10 - below.recall10);
    interpolated = below.qps + fraction * (reached.qps - below.qps);
  }
  return { ef: reached.ef, qpsAtEf: reached.qps, qpsInterpolated: interpolated };
}
