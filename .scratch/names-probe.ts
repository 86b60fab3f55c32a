import { join } from 'node:path';
import { namesOf } from '../src/answering/answer-type.ts';
import { stems } from '../src/answering/answerability-features.ts';
import { corpusTerms } from '../src/answering/build-answerer.ts';
import { loadConfig } from '../src/config/config.ts';
import { PACKAGE_ROOT } from '../src/corpus/bundled.ts';
import { splitSentences } from '../src/corpus/sentences.ts';
import { createEmbeddings } from '../src/embeddings/create-embeddings.ts';
import { FIT_SETS } from '../src/evaluation/answerability-fit.ts';
import { loadBeir, readQueries } from '../src/evaluation/beir.ts';
import { HybridRetriever } from '../src/retrieval/hybrid-retriever.ts';
import { PaperIndex } from '../src/retrieval/paper-index.ts';
import { openQuestionMemory } from '../src/retrieval/question-memory.ts';
import { tokenize } from '../src/retrieval/tokenize.ts';

const EVAL_DIR = join(PACKAGE_ROOT, 'tests', 'fixtures', 'eval');
const config = loadConfig({ PAPERBOT_EMBEDDINGS: 'local' });
const embeddings = await createEmbeddings(config);
const index = await PaperIndex.open(config.indexDir, embeddings);
const memory = await openQuestionMemory({ indexDir: config.indexDir, embeddings });
const ctx = corpusTerms(index);

// corpus names: stems written capitalised (not sentence-initial) in most abstract occurrences
const capital = new Map<string, number>();
const total = new Map<string, number>();
for (const paper of index.papers()) {
  for (const sentence of splitSentences(paper.abstract)) {
    let first = true;
    for (const m of sentence.matchAll(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu)) {
      const word = m[0];
      const st = tokenize(word, false);
      if (st.length !== 1) { first = false; continue; }
      const s = st[0]!;
      if (!first) {
        total.set(s, (total.get(s) ?? 0) + 1);
        if (/\p{Lu}/u.test(word)) capital.set(s, (capital.get(s) ?? 0) + 1);
      }
      first = false;
    }
  }
}
const MIN = Number(process.env.SHARE ?? 0.5);
const corpusName = (s: string) => (total.get(s) ?? 0) > 0 && (capital.get(s) ?? 0) / total.get(s)! >= MIN && !/^\d+$/.test(s);
console.log('corpus names', [...total.keys()].filter(corpusName).length, 'of', total.size);
console.log([...total.keys()].filter(corpusName).slice(0, 80).join(' '));

type Row = { set: string; id: string; kind: string; text: string; oldApart: boolean; newApart: boolean; missTop1: boolean; nNames: number; names: string };
const rows: Row[] = [];
for (const set of FIT_SETS) {
  const dir = join(EVAL_DIR, set);
  const beir = loadBeir(dir);
  const un = readQueries(join(dir, 'unanswerable.jsonl')) as Array<{ id: string; text: string; kind?: string }>;
  const texts = [...beir.queries, ...un].map((q) => q.text);
  const retriever = new HybridRetriever(index, { embedTimeoutMs: 60_000, memory: memory.leavingOut([set], texts) });
  const all = [...beir.queries.map((q) => ({ ...q, kind: 'ans' })), ...un.map((q) => ({ ...q, kind: `u-${(q as { kind?: string }).kind ?? '?'}` }))];
  for (const q of all) {
    const hits = await retriever.search(q.text, { k: 10, mode: 'hybrid' });
    const paperSets = hits.slice(0, 3).map((h) => new Set(stems(`${h.paper.title} ${h.paper.abstract}`)));
    const names = namesOf(q.text);
    const known = names.filter((n) => n.stems.every(ctx.isKnownTerm));
    const oldApart = known.length >= 2 && !paperSets.some((p) => known.every((n) => n.stems.every((s) => p.has(s))));
    const keys = new Set(known.map((n) => n.stems.join(' ')));
    const extra = [...new Set(tokenize(q.text, false))].filter((s) => corpusName(s) && ctx.isKnownTerm(s) && ![...keys].some((k) => k.split(' ').includes(s)));
    const all2 = [...known.map((n) => n.stems), ...extra.map((s) => [s])];
    const newApart = all2.length >= 2 && !paperSets.some((p) => all2.every((n) => n.every((s) => p.has(s))));
    const missTop1 = all2.some((n) => !n.every((s) => paperSets[0]?.has(s)));
    rows.push({ set, id: q.id, kind: q.kind, text: q.text, oldApart, newApart, missTop1, nNames: all2.length, names: all2.map((n) => n.join('_')).join(',') });
  }
}
const kinds = [...new Set(rows.map((r) => r.kind))].sort();
for (const k of kinds) {
  const rs = rows.filter((r) => r.kind === k);
  const c = (f: (r: Row) => boolean) => rs.filter(f).length;
  console.log(k.padEnd(8), rs.length, 'oldApart', c((r) => r.oldApart), 'newApart', c((r) => r.newApart), 'missTop1', c((r) => r.missTop1));
}
import { writeFileSync } from 'node:fs';
writeFileSync('/tmp/names-rows.json', JSON.stringify(rows));
