/**
 * Retrieval path on the bundled corpus: latency of the whole hybrid search and of each stage
 * (query embedding, lexical, dense, fusion), and the overhead of our LangChain vector-store layer
 * against hnswlib-node's `searchKnn` on the same index and query vectors.
 */
import { loadConfig } from '../src/config/config.ts';
import { silentLogger } from '../src/logger.ts';
import { HybridRetriever } from '../src/retrieval/hybrid-retriever.ts';
import type { PaperIndex } from '../src/retrieval/paper-index.ts';
import type { RetrievalSources } from '../src/retrieval/search-corpus.ts';
import { createRuntime } from '../src/runtime/create-runtime.ts';
import {
  progress,
  type Quantiles,
  quantiles,
  type Series,
  since,
  table,
  writeJson,
  writeSvg,
} from './report.ts';
import { devQuestions } from './workload.ts';

const ROUNDS = 10;
const OVERHEAD_ROUNDS = 200;

type Stage = 'embedding' | 'lexical' | 'dense' | 'fusion' | 'total';

/** The index as the retriever sees it, with the time of each call added to `clock`. */
function timedIndex(index: PaperIndex, clock: Record<Stage, number>): RetrievalSources {
  const embeddings = index.embeddings;
  const timedEmbeddings = Object.create(embeddings) as typeof embeddings;
  timedEmbeddings.embedQuery = async (text: string) => {
    const start = performance.now();
    try {
      return await embeddings.embedQuery(text);
    } finally {
      clock.embedding += since(start);
    }
  };
  const store = index.vectorStore;
  const timedStore = Object.create(store) as typeof store;
  Object.defineProperty(timedStore, 'embeddings', { value: timedEmbeddings });
  timedStore.similaritySearchVectorWithScore = async (vector, k, filter) => {
    const start = performance.now();
    try {
      return await store.similaritySearchVectorWithScore(vector, k, filter);
    } finally {
      clock.dense += since(start);
    }
  };
  return {
    vectorStore: timedStore,
    get: (id) => index.get(id),
    correctSpelling: (query) => index.correctSpelling(query),
    searchLexical: (query, k) => {
      const start = performance.now();
      try {
        return index.searchLexical(query, k);
      } finally {
        clock.lexical += since(start);
      }
    },
  };
}

interface OverheadResult {
  k: number;
  store: Quantiles;
  direct: Quantiles;
  ratioAtMedian: number;
}

export async function runRetrieval(): Promise<void> {
  const questions = devQuestions();
  progress(`[retrieval] opening the bundled index; ${questions.length} dev questions x ${ROUNDS} rounds`);
  const runtime = await createRuntime(loadConfig({}), silentLogger());
  const clock: Record<Stage, number> = { embedding: 0, lexical: 0, dense: 0, fusion: 0, total: 0 };
  const retriever = new HybridRetriever(timedIndex(runtime.index, clock), { embedTimeoutMs: 60_000 });
  for (const question of questions) await retriever.search(question, { k: 10 });

  const samples: Record<Stage, number[]> = { embedding: [], lexical: [], dense: [], fusion: [], total: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const question of questions) {
      for (const stage of Object.keys(clock) as Stage[]) clock[stage] = 0;
      const start = performance.now();
      await retriever.search(question, { k: 10 });
      const total = since(start);
      samples.total.push(total);
      samples.embedding.push(clock.embedding);
      samples.lexical.push(clock.lexical);
      samples.dense.push(clock.dense);
      samples.fusion.push(total - clock.embedding - clock.lexical - clock.dense);
    }
  }
  const stages = Object.fromEntries(
    (Object.keys(samples) as Stage[]).map((stage) => [stage, quantiles(samples[stage])]),
  ) as Record<Stage, Quantiles>;

  progress('[retrieval] vector-store layer against direct searchKnn...');
  const store = runtime.index.vectorStore;
  const raw = store.rawIndex;
  const vectors = await Promise.all(questions.map((question) => runtime.embeddings.embedQuery(question)));
  // k = 400 is what searchDense asks for (50 candidates x 8 passages per paper).
  const overhead: OverheadResult[] = [];
  for (const k of [10, Math.min(400, store.size)]) {
    const storeTimes: number[] = [];
    const directTimes: number[] = [];
    for (let round = 0; round < OVERHEAD_ROUNDS; round++) {
      for (const vector of vectors) {
        let start = performance.now();
        await store.similaritySearchVectorWithScore(vector, k);
        storeTimes.push(since(start));
        start = performance.now();
        raw.searchKnn(vector, k);
        directTimes.push(since(start));
      }
    }
    const storeQuantiles = quantiles(storeTimes);
    const directQuantiles = quantiles(directTimes);
    overhead.push({
      k,
      store: storeQuantiles,
      direct: directQuantiles,
      ratioAtMedian: storeQuantiles.p50 / directQuantiles.p50,
    });
  }
  await runtime.close();

  const milliseconds = (value: number) => value.toFixed(3);
  process.stdout.write(
    `\nRetrieval path, ${questions.length} dev questions x ${ROUNDS} rounds (ms), ${store.size} passage vectors, ef=${store.parameters.efSearch}\n`,
  );
  process.stdout.write(
    `${table(
      ['stage', 'p50', 'p95', 'p99', 'mean'],
      (Object.keys(stages) as Stage[]).map((stage) => [
        stage,
        milliseconds(stages[stage].p50),
        milliseconds(stages[stage].p95),
        milliseconds(stages[stage].p99),
        milliseconds(stages[stage].mean),
      ]),
    )}\n\nVector-store layer vs direct searchKnn (ms per call)\n`,
  );
  process.stdout.write(
    `${table(
      ['k', 'store p50', 'direct p50', 'store p95', 'direct p95', 'ratio at median'],
      overhead.map((entry) => [
        entry.k,
        milliseconds(entry.store.p50),
        milliseconds(entry.direct.p50),
        milliseconds(entry.store.p95),
        milliseconds(entry.direct.p95),
        entry.ratioAtMedian.toFixed(3),
      ]),
    )}\n`,
  );
  writeJson('retrieval', {
    rounds: ROUNDS,
    questions: questions.length,
    vectors: store.size,
    stages,
    overhead,
  });
  const series: Series[] = (Object.keys(samples) as Stage[]).map((stage) => ({
    label: stage,
    points: [0.5, 0.9, 0.95, 0.99].map((fraction) => {
      const sorted = [...samples[stage]].sort((left, right) => left - right);
      return [fraction * 100, sorted[Math.ceil(fraction * sorted.length) - 1] ?? 0] as [number, number];
    }),
  }));
  writeSvg('retrieval-stages', series, {
    title: 'Retrieval latency by stage (bundled corpus)',
    xLabel: 'percentile',
    yLabel: 'ms (log)',
    logY: true,
  });
}
