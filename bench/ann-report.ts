/**
 * Tables and plots of the ANN benchmark: hnswlib-node and pgvector side by side, each against
 * its own native exact scan.
 */

import { type AnnDetails, type AnnOptions, runAnnOne } from './ann.ts';
import type { AtRecall } from './ann-exact.ts';
import { formatBytes, type Series, table, writeJson, writeSvg } from './report.ts';

function optional(value: number | undefined, format: (value: number) => string = String): string {
  return value === undefined ? '-' : format(value);
}

function describeAtRecall(at: AtRecall | undefined, exactQps: number): string[] {
  if (!at || at.ef === null || at.qpsInterpolated === null) return ['not reached', '-', '-'];
  return [
    String(at.ef),
    Math.round(at.qpsInterpolated).toLocaleString('en-US'),
    `${(at.qpsInterpolated / exactQps).toFixed(1)}x`,
  ];
}

export function describeAnn(details: AnnDetails): string {
  const { result } = details;
  const parts: string[] = [];
  parts.push(
    table(
      ['n', 'dim', 'M', 'efC', 'queries', 'JS loop QPS (truth)', 'BruteforceSearch QPS', 'its recall@10'],
      [
        [
          result.n.toLocaleString('en-US'),
          result.dim,
          details.m,
          details.efConstruction,
          details.queries,
          result.jsExactQps,
          result.exactQps,
          result.exactRecall10.toFixed(4),
        ],
      ],
    ),
  );
  if (result.rows.length > 0) {
    parts.push(
      table(
        ['hnswlib-node build s', 'vectors/s', 'load s', 'index RSS', 'on disk', 'RSS / (raw+links)'],
        [
          [
            optional(result.buildSeconds, (value) => value.toFixed(1)),
            optional(details.vectorsPerSecond, (value) => Math.round(value).toLocaleString('en-US')),
            optional(result.loadSeconds, (value) => value.toFixed(2)),
            optional(result.rssBytes, formatBytes),
            optional(result.diskBytes, formatBytes),
            optional(details.memoryRatio, (value) => value.toFixed(3)),
          ],
        ],
      ),
    );
  }
  const pgvector = result.pgvector;
  const engines: (string | number)[][] = [];
  if (result.rows.length > 0) {
    engines.push([
      'hnswlib-node',
      `${optional(result.buildSeconds, (value) => value.toFixed(1))} (${optional(result.buildCpuSeconds, (value) => value.toFixed(1))})`,
      optional(result.diskBytes, formatBytes),
      `BruteforceSearch ${Math.round(result.exactQps)}`,
      ...describeAtRecall(result.atRecall95, result.exactQps),
    ]);
  }
  if (pgvector) {
    engines.push([
      `pgvector ${pgvector.pgvectorVersion} (PG ${pgvector.serverVersion.split(' ')[0]})`,
      `${pgvector.buildSeconds.toFixed(1)} (${optional(pgvector.buildServerCpuSeconds ?? undefined, (value) => value.toFixed(1))})`,
      `${formatBytes(pgvector.diskBytes)} (table ${formatBytes(pgvector.tableBytes)} + index ${formatBytes(pgvector.indexBytes)})`,
      `seq scan ${pgvector.exact.qps.toFixed(1)} (recall ${pgvector.exact.recall10.toFixed(3)}, ${pgvector.exact.queries} q)`,
      ...describeAtRecall(pgvector.atRecall95, pgvector.exact.qps),
    ]);
  }
  parts.push(
    table(
      [
        'engine',
        'build s (CPU s)',
        'on disk',
        'native exact QPS',
        'ef at recall 0.95',
        'QPS at 0.95',
        'speedup at 0.95',
      ],
      engines,
    ),
  );
  if (pgvector) {
    parts.push(
      table(
        ['exact scan', 'QPS', 'recall@10', 'CPU ms/query (Node)', 'CPU ms/query (server backend)'],
        [
          [
            'hnswlib-node BruteforceSearch',
            result.exactQps,
            result.exactRecall10.toFixed(4),
            optional(result.exactCpuMsPerQuery, (value) => `${value.toFixed(3)} (the search itself)`),
            '-',
          ],
          [
            'pgvector sequential scan',
            pgvector.exact.qps,
            pgvector.exact.recall10.toFixed(4),
            pgvector.exact.nodeCpuMsPerQuery.toFixed(3),
            optional(pgvector.exact.serverCpuMsPerQuery ?? undefined, (value) => value.toFixed(2)),
          ],
        ],
      ),
    );
  }
  const efs = [
    ...new Set([...result.rows.map((row) => row.ef), ...(pgvector?.rows ?? []).map((row) => row.ef)]),
  ];
  const headers = ['ef'];
  if (result.rows.length > 0) headers.push('hnswlib recall', 'QPS', 'CPU ms/q', 'speedup');
  if (pgvector) headers.push('pgvector recall', 'QPS', 'CPU ms/q Node + server', 'speedup');
  parts.push(
    table(
      headers,
      efs.map((ef) => {
        const cells: (string | number)[] = [ef];
        const hnsw = result.rows.find((row) => row.ef === ef);
        if (result.rows.length > 0) {
          cells.push(
            hnsw ? hnsw.recall10.toFixed(4) : '-',
            hnsw ? Math.round(hnsw.qps) : '-',
            hnsw ? hnsw.cpuMsPerQuery.toFixed(3) : '-',
            hnsw ? `${hnsw.speedupOverExact.toFixed(1)}x` : '-',
          );
        }
        const pg = pgvector?.rows.find((row) => row.ef === ef);
        if (pgvector) {
          cells.push(
            pg ? pg.recall10.toFixed(4) : '-',
            pg ? Math.round(pg.qps) : '-',
            pg
              ? `${pg.nodeCpuMsPerQuery.toFixed(3)} + ${optional(pg.serverCpuMsPerQuery ?? undefined, (value) => value.toFixed(3))}`
              : '-',
            pg ? `${pg.speedupOverExact.toFixed(1)}x` : '-',
          );
        }
        return cells;
      }),
    ),
  );
  return parts.join('\n\n');
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
  const recallSeries: Series[] = all.flatMap((details) => {
    const size = `${details.result.n.toLocaleString('en-US')} x ${details.result.dim}`;
    const series: Series[] = [];
    if (details.result.rows.length > 0) {
      series.push({
        label: `hnswlib-node ${size}`,
        points: details.result.rows.map((row) => [row.recall10, row.qps] as [number, number]),
      });
    }
    const pgvector = details.result.pgvector;
    if (pgvector) {
      series.push({
        label: `pgvector ${size}`,
        points: pgvector.rows.map((row) => [row.recall10, row.qps] as [number, number]),
      });
    }
    return series;
  });
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
      label: `exact (BruteforceSearch), ${dim}-d`,
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
