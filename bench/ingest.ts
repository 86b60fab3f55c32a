// Ingest benchmark (not a test): throughput of the ingest path and incremental index growth.
//   node bin/run-ts.mjs bench/ingest.ts [--papers 5000] [--embedded 40] [--base 100000] [--add 1000] [--dim 512]
// 1. Papers/s through mapping + SQLite upsert + index sync with a free embedding ("embedding
//    excluded"), and with the real offline model on a small sample ("embedding included").
// 2. Adding `--add` vectors to an HNSW index of `--base` vectors vs rebuilding it, using
//    hnswlib-node directly with synthetic random unit vectors (embedding 100,000 abstracts offline
//    would take hours). One vector stands for one passage; a paper has ~6-10 passages in PaperIndex.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Embeddings } from '@langchain/core/embeddings';
import hnswlib from 'hnswlib-node';
import type { Paper } from '../src/corpus/paper.ts';
import { LocalEmbeddings } from '../src/embeddings/local-embeddings.ts';
import type { PaperEmbeddings } from '../src/embeddings/types.ts';
import { createHttpClient } from '../src/ingest/http-client.ts';
import { HuggingFaceClient } from '../src/ingest/hugging-face-client.ts';
import { ingestPapers } from '../src/ingest/ingest-papers.ts';
import { PaperIndex } from '../src/retrieval/paper-index.ts';
import { openDatabase } from '../src/storage/database.ts';
import { PaperStore } from '../src/storage/paper-store.ts';
import { createRandom } from './synthetic-vectors.ts';

const { values } = parseArgs({
  options: {
    papers: { type: 'string', default: '5000' },
    embedded: { type: 'string', default: '40' },
    base: { type: 'string', default: '100000' },
    add: { type: 'string', default: '1000' },
    dim: { type: 'string', default: '512' },
  },
});
const root = mkdtempSync(join(tmpdir(), 'paperbot-bench-ingest-'));
const random = createRandom(7);
const words =
  'graph attention retrieval transformer diffusion agent reasoning token sparse dense vision language policy reward protein'.split(
    ' ',
  );
const sentence = () =>
  `${Array.from({ length: 14 }, () => words[Math.floor(random() * words.length)]).join(' ')}.`;

/** A synthetic Daily-Papers item, shaped like the recorded responses. */
function feedItem(n: number): unknown {
  const id = `26${String(1 + (n % 12)).padStart(2, '0')}.${String(10_000 + n).padStart(5, '0')}`;
  return {
    paper: {
      id,
      title: `Synthetic paper ${n} on ${sentence()}`,
      summary: Array.from({ length: 6 }, sentence).join(' '),
      authors: [{ name: 'A. Author' }, { name: 'B. Author' }],
      publishedAt: '2026-06-11T00:00:00.000Z',
      submittedOnDailyAt: '2026-06-12T00:00:00.000Z',
      upvotes: n % 50,
    },
    numComments: n % 7,
  };
}

/** Constant vectors: the index work without the model's cost. */
class FreeEmbeddings extends Embeddings implements PaperEmbeddings {
  readonly modelId = 'bench:free';
  readonly dimensions = 16;
  constructor() {
    super({});
  }
  async embedDocuments(texts: string[]) {
    return texts.map(() => Array.from({ length: 16 }, () => random() - 0.5));
  }
  async embedQuery() {
    return Array.from({ length: 16 }, () => random() - 0.5);
  }
}

async function throughput(count: number, embeddings: PaperEmbeddings, label: string) {
  const dir = join(root, label);
  const client = new HuggingFaceClient({ baseUrl: 'http://unused.invalid', http: createHttpClient() });
  const items = Array.from({ length: count }, (_, n) => feedItem(n));
  const seed: Paper[] = [{ id: 'seed-0', title: 'Seed', abstract: 'A seed paper. Two sentences.' }];
  const index = await PaperIndex.build(dir, seed, embeddings);
  const database = openDatabase(join(dir, 'paperbot.db'));
  const store = new PaperStore(database);
  await embeddings.embedQuery('warm up'); // model load is not ingest time
  const started = performance.now();
  const { papers } = client.mapItems(items, { ranked: true });
  const mapped = performance.now();
  const outcome = await ingestPapers(papers, { store, index, seedCorpus: () => seed });
  const ended = performance.now();
  database.close();
  const seconds = (ended - started) / 1000;
  return {
    label,
    papers: count,
    stored: outcome.store.added.length,
    mapMs: Math.round(mapped - started),
    totalSeconds: Number(seconds.toFixed(2)),
    papersPerSecond: Math.round(count / seconds),
  };
}

function randomVector(dim: number): number[] {
  const vector = Array.from({ length: dim }, () => random() - 0.5);
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

function growth(base: number, add: number, dim: number) {
  const path = join(root, 'base.hnsw');
  const vectors = Array.from({ length: base + add }, () => randomVector(dim));
  const build = (count: number) => {
    const index = new hnswlib.HierarchicalNSW('cosine', dim);
    index.initIndex(count, 16, 200, 100);
    for (let label = 0; label < count; label++) index.addPoint(vectors[label]!, label);
    return index;
  };
  process.stderr.write(`building the ${base}-vector base index (${dim}-d)...\n`);
  build(base).writeIndexSync(path);
  const incrementalStart = performance.now();
  const grown = new hnswlib.HierarchicalNSW('cosine', dim);
  grown.readIndexSync(path);
  grown.resizeIndex(base + add);
  for (let label = base; label < base + add; label++) grown.addPoint(vectors[label]!, label);
  grown.writeIndexSync(join(root, 'grown.hnsw'));
  const incrementalSeconds = (performance.now() - incrementalStart) / 1000;
  process.stderr.write(`rebuilding with ${base + add} vectors...\n`);
  const rebuildStart = performance.now();
  build(base + add).writeIndexSync(join(root, 'rebuilt.hnsw'));
  const rebuildSeconds = (performance.now() - rebuildStart) / 1000;
  return { base, add, dim, incrementalSeconds, rebuildSeconds };
}

try {
  const rows = [await throughput(Number(values.papers), new FreeEmbeddings(), 'embedding excluded')];
  process.stderr.write('loading the offline embedding model...\n');
  rows.push(
    await throughput(Number(values.embedded), new LocalEmbeddings(), 'embedding included (offline USE)'),
  );
  process.stdout.write('\nIngest throughput (map + SQLite upsert + index sync, one transaction, one save)\n');
  for (const row of rows) {
    process.stdout.write(
      `  ${row.label.padEnd(34)} ${String(row.papers).padStart(6)} papers  ${String(row.totalSeconds).padStart(7)} s  ${String(row.papersPerSecond).padStart(6)} papers/s\n`,
    );
  }
  const result = growth(Number(values.base), Number(values.add), Number(values.dim));
  process.stdout.write(
    `\nAdd ${result.add} vectors to an HNSW index of ${result.base} (${result.dim}-d, M=16, efConstruction=200, synthetic)\n`,
  );
  process.stdout.write(`  incremental (load + add + save)   rebuild from scratch   speed-up\n`);
  process.stdout.write(
    `  ${`${result.incrementalSeconds.toFixed(2)} s`.padEnd(34)} ${`${result.rebuildSeconds.toFixed(2)} s`.padEnd(22)} ${(result.rebuildSeconds / result.incrementalSeconds).toFixed(0)}x\n`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
