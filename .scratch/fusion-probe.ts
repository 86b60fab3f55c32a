import { join } from 'node:path';
import { loadConfig } from '../src/config/config.ts';
import { PACKAGE_ROOT } from '../src/corpus/bundled.ts';
import { createEmbeddings } from '../src/embeddings/create-embeddings.ts';
import { FIT_SETS } from '../src/evaluation/answerability-fit.ts';
import { loadBeir, readQueries } from '../src/evaluation/beir.ts';
import { ndcgAt, recallAt } from '../src/evaluation/metrics.ts';
import { HybridRetriever } from '../src/retrieval/hybrid-retriever.ts';
import { PaperIndex } from '../src/retrieval/paper-index.ts';
import { openQuestionMemory } from '../src/retrieval/question-memory.ts';

const config = loadConfig({ PAPERBOT_EMBEDDINGS: 'local' });
const embeddings = await createEmbeddings(config);
const index = await PaperIndex.open(config.indexDir, embeddings);
const memory = await openQuestionMemory({ indexDir: config.indexDir, embeddings });
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const weights = (process.env.W ?? '0.2,0.3,0.4').split(',').map(Number);
for (const useMemory of [true, false]) {
  for (const w of weights) {
    const rs: number[] = [], ns: number[] = [];
    let seedR = 0, seedN = 0;
    for (const set of FIT_SETS) {
      const dir = join(PACKAGE_ROOT, 'tests', 'fixtures', 'eval', set);
      const beir = loadBeir(dir);
      const texts = [...beir.queries, ...readQueries(join(dir, 'unanswerable.jsonl'))].map((q) => q.text);
      const r = new HybridRetriever(index, { embedTimeoutMs: 60_000, fusion: { denseWeight: w }, memory: useMemory ? memory.leavingOut([set], texts) : undefined });
      const sr: number[] = [], sn: number[] = [];
      for (const q of beir.queries) {
        const ids = (await r.search(q.text, { k: 10 })).map((h) => h.paper.id);
        const j = beir.qrels.get(q.id)!;
        sr.push(recallAt(ids, j)); sn.push(ndcgAt(ids, j));
      }
      if (set === 'seed-dev') { seedR = mean(sr); seedN = mean(sn); } else { rs.push(mean(sr)); ns.push(mean(sn)); }
    }
    console.log(`memory=${useMemory} dense=${w}: 47 sets R@10 ${mean(rs).toFixed(4)} nDCG ${mean(ns).toFixed(4)} | seed-dev R ${seedR.toFixed(4)} nDCG ${seedN.toFixed(4)}`);
  }
}
