import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { afterEach, describe, expect, it } from 'vitest';
import { corpusTerms } from '../../src/answering/build-answerer.ts';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { CALIBRATION_SETS, FIT_SETS, REPORT_SETS } from '../../src/evaluation/answerability-fit.ts';
import { loadBeir } from '../../src/evaluation/beir.ts';
import { HybridRetriever } from '../../src/retrieval/hybrid-retriever.ts';
import { PaperIndex } from '../../src/retrieval/paper-index.ts';
import {
  BUNDLED_MEMORY_PATH,
  type JudgedQuestion,
  openQuestionMemory,
  QuestionMemory,
  readJudgedQuestions,
} from '../../src/retrieval/question-memory.ts';
import { memoryReliability, termReliability } from '../../src/retrieval/term-reliability.ts';
import { HashingEmbeddings } from '../fakes/hashing-embeddings.ts';
import { useBundledPaperIndex } from '../helpers/temp-index.ts';

const questions: JudgedQuestion[] = [
  { set: 'a', id: 'a1', text: 'nested embeddings you can truncate', papers: { p1: 2 } },
  { set: 'a', id: 'a2', text: 'frozen glyph image embeddings', papers: { p2: 2, p3: 1 } },
  { set: 'b', id: 'b1', text: 'editing a model memory to forget facts', papers: { p4: 2 } },
  { set: 'b', id: 'b2', text: 'truncate nested embeddings layers', papers: { p1: 2 } },
];

let dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'paperbot-memory-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs) {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  }
  dirs = [];
});

function memoryFile(dir: string, entries = questions): string {
  const path = join(dir, 'judged.jsonl');
  writeFileSync(path, entries.map((entry) => JSON.stringify(entry)).join('\n'));
  return path;
}

describe('question memory', () => {
  it('lends a judged question papers weight only above the calibrated floor, and leaves sets out', async () => {
    const embeddings = new HashingEmbeddings(64);
    const vectors = await embeddings.embedDocuments(questions.map((question) => question.text));
    const memory = QuestionMemory.of(questions, vectors);
    const near = memory.boosts(await embeddings.embedQuery('truncate nested embeddings'));
    expect([...near.keys()]).toContain('p1');
    expect(near.get('p1')!.boost).toBeGreaterThan(0);
    expect(near.has('p4')).toBe(false);
    // Nothing is near an unrelated question.
    expect(memory.boosts(await embeddings.embedQuery('protein folding kinetics')).size).toBe(0);
    // Leaving set b out keeps a1; leaving a1's text out as well leaves nothing for p1.
    const withoutB = memory.leavingOut(['b']);
    expect(withoutB.size).toBe(2);
    expect(withoutB.boosts(await embeddings.embedQuery('truncate nested embeddings')).has('p1')).toBe(true);
    const without = memory.leavingOut(['b'], ['  Nested embeddings you can TRUNCATE ']);
    expect(without.size).toBe(1);
    expect(without.boosts(await embeddings.embedQuery('truncate nested embeddings')).has('p1')).toBe(false);
    // Leaving paper p1 out drops every question naming it (a1 and b2), not the others.
    const withoutP1 = memory.leavingOut([], [], ['p1']);
    expect(withoutP1.size).toBe(2);
    expect(withoutP1.boosts(await embeddings.embedQuery('truncate nested embeddings')).has('p1')).toBe(false);
  });

  it('finds the same papers and similarities as an exhaustive scan, also when the nearest questions name one paper', () => {
    // Seeded, so the test is the same every run.
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    };
    const dimensions = 24;
    const query = Array.from({ length: dimensions }, random);
    const near = (spread: number) => query.map((value) => value + spread * random());
    const judged: JudgedQuestion[] = [];
    const vectors: number[][] = [];
    // 300 questions close to the query all name one paper: the first candidates the native scan
    // returns hold a single paper, so it must fetch more before the best five are certain.
    for (let index = 0; index < 300; index++) {
      judged.push({
        set: index % 2 ? 'odd' : 'even',
        id: `c${index}`,
        text: `c${index}`,
        papers: { common: 2 },
      });
      vectors.push(near(0.3));
    }
    for (let index = 0; index < 400; index++) {
      const papers = { [`p${index % 37}`]: 2, [`q${index % 11}`]: 1 };
      judged.push({ set: index % 3 ? 'other' : 'third', id: `r${index}`, text: `r${index}`, papers });
      vectors.push(near(1.5 + (index % 5)));
    }
    const memory = QuestionMemory.of(judged, vectors, { floor: 0.2, unit: 0.3 });
    // As the memory stores them: float32, scaled to unit length.
    const unit = (vector: number[]) => {
      const out = Float32Array.from(vector);
      let squares = 0;
      for (const value of out) squares += value * value;
      const norm = Math.sqrt(squares) || 1;
      return out.map((value) => value / norm);
    };
    // The reference: every question in use, its similarity in JavaScript, the best five papers.
    const exhaustive = (left: Set<string>, vector: number[]) => {
      const target = unit(vector);
      const best = new Map<string, number>();
      judged.forEach((question, index) => {
        if (left.has(question.set)) return;
        const row = unit(vectors[index]!);
        let similarity = 0;
        for (let i = 0; i < dimensions; i++) similarity += row[i]! * target[i]!;
        if (similarity <= 0.2) return;
        for (const paper of Object.keys(question.papers)) {
          if (similarity > (best.get(paper) ?? Number.NEGATIVE_INFINITY)) best.set(paper, similarity);
        }
      });
      return [...best]
        .sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]))
        .slice(0, 5);
    };
    const probes = [query, near(1), near(3), Array.from({ length: dimensions }, random)];
    for (const left of [[], ['even'], ['even', 'third'], ['odd', 'even', 'other', 'third']]) {
      const view = left.length > 0 ? memory.leavingOut(left) : memory;
      for (const probe of probes) {
        const found = [...view.boosts(probe)].map(([paper, { similarity }]) => [paper, similarity]);
        expect(found).toEqual(exhaustive(new Set(left), probe));
      }
    }
    // The query itself: 'common' first, then four papers whose questions lie past the first fetch.
    const best = [...memory.boosts(query).keys()];
    expect(best[0]).toBe('common');
    expect(best).toHaveLength(5);
    // An empty memory lends nothing.
    expect(QuestionMemory.of([], [], { floor: 0.2, unit: 0.3 }).boosts(query).size).toBe(0);
  });

  it('embeds once, caches the vectors for the model, and recomputes a damaged cache', async () => {
    const dir = tempDir();
    const path = memoryFile(dir);
    const embeddings = new HashingEmbeddings(64);
    const first = await QuestionMemory.open({ path, embeddings, cacheDirs: [dir] });
    expect(embeddings.calls).toBe(1);
    const cached = readdirSync(dir).filter((name) => name.startsWith('question-memory-'));
    expect(cached).toHaveLength(1);
    const second = await QuestionMemory.open({ path, embeddings, cacheDirs: [dir] });
    expect(embeddings.calls).toBe(1);
    expect(second.calibration).toEqual(first.calibration);
    // Another model gets its own vectors.
    await QuestionMemory.open({ path, embeddings: new HashingEmbeddings(32), cacheDirs: [dir] });
    expect(readdirSync(dir).filter((name) => name.startsWith('question-memory-'))).toHaveLength(2);
    // A truncated cache is only a cache: computed again, same result.
    const file = join(dir, cached[0]!);
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 200));
    const third = await QuestionMemory.open({ path, embeddings, cacheDirs: [dir] });
    expect(embeddings.calls).toBe(2);
    expect(third.calibration).toEqual(first.calibration);
    // A changed memory replaces this model's cache and keeps the other model's.
    memoryFile(dir, [
      ...questions,
      { set: 'b', id: 'b3', text: 'glyph pictures as inputs', papers: { p2: 2 } },
    ]);
    await QuestionMemory.open({ path, embeddings, cacheDirs: [dir] });
    const after = readdirSync(dir).filter((name) => name.startsWith('question-memory-'));
    expect(after).toHaveLength(2);
    expect(after).not.toContain(cached[0]);
  });

  it("caches the vectors as hnswlib's own saved index with a JSON header after it, read back exactly and loaded natively, and replaces older caches", async () => {
    const dir = tempDir();
    const path = memoryFile(dir);
    const embeddings = new HashingEmbeddings(64);
    // A format-1 cache (JSON with base64 vectors) and a format-2 one (a JSON line, then float32
    // rows) of the same model are stale once the memory is computed in the new format.
    const old = join(dir, 'question-memory-0123456789abcdef.json');
    writeFileSync(old, `${JSON.stringify({ format: 1, modelId: embeddings.modelId, vectors: '' })}\n`);
    const older = join(dir, 'question-memory-fedcba9876543210.bin');
    writeFileSync(older, `${JSON.stringify({ format: 2, modelId: embeddings.modelId, count: 0 })}\n`);
    const first = await QuestionMemory.open({ path, embeddings, cacheDirs: [dir] });
    const files = readdirSync(dir).filter((name) => name.startsWith('question-memory-'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^question-memory-[0-9a-f]+\.bin$/);
    const file = join(dir, files[0]!);
    const bytes = readFileSync(file);
    // hnswlib's head: room for 4 rows, 64 floats and an 8-byte label per row, 4 rows.
    const rowBytes = 64 * 4 + 8;
    expect([0, 8, 16].map((at) => Number(bytes.readBigUInt64LE(at)))).toEqual([4, rowBytes, 4]);
    const end = 24 + 4 * rowBytes;
    expect(JSON.parse(bytes.toString('utf8', end))).toMatchObject({
      format: 3,
      modelId: embeddings.modelId,
      count: 4,
      dimensions: 64,
    });
    const expected = await embeddings.embedDocuments(questions.map((question) => question.text));
    questions.forEach((_, row) => {
      const at = 24 + row * rowBytes;
      const stored = new Float32Array(
        bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + 64 * 4),
      );
      const norm = Math.hypot(...expected[row]!);
      expect(stored[0]).toBeCloseTo(expected[row]![0]! / norm, 6);
      expect(Number(bytes.readBigUInt64LE(at + 64 * 4))).toBe(row);
    });
    // hnswlib reads the file as its own: each question's nearest is itself.
    const native = new hnswlib.BruteforceSearch('ip', 64);
    native.readIndexSync(file);
    expect(native.getCurrentCount()).toBe(4);
    expected.forEach((vector, row) => {
      expect(native.searchKnn(vector, 1).neighbors).toEqual([row]);
    });
    // Read back (nothing embedded again), the memory lends the same papers the same weight, with
    // the index loaded from the file and, once the file is gone, with the vectors copied in.
    const calls = embeddings.calls;
    const second = await QuestionMemory.open({ path, embeddings, cacheDirs: [dir] });
    const third = await QuestionMemory.open({ path, embeddings, cacheDirs: [dir] });
    expect(embeddings.calls).toBe(calls);
    const query = await embeddings.embedQuery('truncate nested embeddings');
    expect([...second.boosts(query)]).toEqual([...first.boosts(query)]);
    rmSync(file);
    expect([...third.boosts(query)]).toEqual([...first.boosts(query)]);
    expect(first.boosts(query).size).toBeGreaterThan(0);
  });

  it('works without a writable cache directory, and says so in the log', async () => {
    const dir = tempDir();
    const path = memoryFile(dir);
    const readOnly = tempDir();
    chmodSync(readOnly, 0o500);
    const warnings: unknown[] = [];
    const logger = { warn: (...args: unknown[]) => warnings.push(args) } as never;
    const memory = await QuestionMemory.open({
      path,
      embeddings: new HashingEmbeddings(64),
      cacheDirs: [readOnly],
      logger,
    });
    expect(memory.size).toBe(questions.length);
    if (process.getuid?.() !== 0) expect(warnings).toHaveLength(1);
  });

  it('searches what was asked about each paper, leaving out the questions the view leaves out', async () => {
    const vectors = await new HashingEmbeddings(32).embedDocuments(
      questions.map((question) => question.text),
    );
    const memory = QuestionMemory.of(questions, vectors);
    const ids = (hits: { id: string }[]) => hits.map((hit) => hit.id).sort();
    expect(ids(memory.searchAsked('can I truncate it?', 5))).toEqual(['p1']);
    // Every paper a question judges (any grade) is a document of that question's words.
    expect(ids(memory.searchAsked('glyph pictures', 5))).toEqual(['p2', 'p3']);
    expect(memory.leavingOut(['a']).searchAsked('glyph pictures', 5)).toEqual([]);
    expect(ids(memory.leavingOut(['a']).searchAsked('truncate', 5))).toEqual(['p1']);
    expect(memory.leavingOut(['b']).searchAsked('forget facts', 5)).toEqual([]);
    expect(memory.leavingOut([], [], ['p1']).searchAsked('truncate', 5)).toEqual([]);
  });

  it('rejects a malformed memory file with the line and the fix', () => {
    const dir = tempDir();
    const path = join(dir, 'judged.jsonl');
    writeFileSync(path, `${JSON.stringify(questions[0])}\n{"set":"a","id":"x"}\n`);
    expect(() => readJudgedQuestions(path)).toThrow(
      /judged\.jsonl:2 needs "set", "id", "text" and "papers".*build-question-memory/,
    );
    writeFileSync(path, '{not json\n');
    expect(() => readJudgedQuestions(path)).toThrow(/judged\.jsonl:1 is not valid JSON/);
  });

  it('ships the answerable questions of the fit and calibration sets, and no report set', () => {
    const bundled = readJudgedQuestions(BUNDLED_MEMORY_PATH);
    const expected = [...FIT_SETS, ...CALIBRATION_SETS].flatMap((set) =>
      loadBeir(join(PACKAGE_ROOT, 'tests', 'fixtures', 'eval', set)).queries.map(
        (query) => `${set}/${query.id}`,
      ),
    );
    expect(bundled.map((question) => `${question.set}/${question.id}`)).toEqual(expected);
    expect(bundled.every((question) => Object.keys(question.papers).length > 0)).toBe(true);
    expect(bundled.filter((question) => REPORT_SETS.includes(question.set))).toEqual([]);
  });
});

describe('retrieval with a question memory', () => {
  it('lifts at most five judged papers, never above the best paper the question found itself', async () => {
    const dir = tempDir();
    const embeddings = new HashingEmbeddings(64);
    const judged = Array.from({ length: 7 }, (_, n) => ({
      id: `old-${n}`,
      title: `Quokka gradient study ${n}`,
      abstract: `We report experiment ${n} on rhythms.`,
    }));
    const fresh = {
      id: 'new',
      title: 'Quokka gradient sparsity',
      abstract: 'Quokka gradient sparsity for sparse quokka training.',
    };
    const index = await PaperIndex.build(dir, [...judged, fresh], embeddings);
    // Seven judged questions, each naming one old paper, all worded like the question below.
    const entries = judged.map((paper, n) => ({
      set: 'x',
      id: `x${n}`,
      text: `quokka gradient sparsity training question ${n}`,
      papers: { [paper.id]: 2 },
    }));
    const unrelated = [
      'protein folding kinetics',
      'baking sourdough bread',
      'tax law of ships',
      'migrating birds over seas',
      'volcanic ash in winter',
      'chess openings for beginners',
      'medieval castle walls',
      'coral reef bleaching',
      'jazz piano chords',
      'desert cactus water',
      'subway fare policy',
      'mountain glacier retreat',
    ].map((text, n) => ({ set: 'y', id: `y${n}`, text, papers: { [`other-${n}`]: 1 } }));
    const all = [...entries, ...unrelated];
    // A steep calibration, so that each judged question's lift (about 3) would carry its paper past
    // the best paper without the ceiling.
    const memory = QuestionMemory.of(all, await embeddings.embedDocuments(all.map((entry) => entry.text)), {
      floor: 0.3,
      unit: 0.1,
    });
    const question = 'quokka gradient sparsity training';
    const plain = await new HybridRetriever(index).search(question, { k: 8 });
    expect(plain[0]!.paper.id).toBe('new');
    // Without a memory no hit says anything about one.
    expect(plain.every((hit) => hit.memorySimilarity === undefined)).toBe(true);
    // The lift by similar questions alone (the list of what was asked is tested below).
    const fusion = { askedWeight: 0 };
    const hits = await new HybridRetriever(index, { memory, fusion }).search(question, { k: 8 });
    expect(hits[0]!.paper.id).toBe('new');
    const lifted = hits.filter((hit) => (hit.memorySimilarity ?? 0) > 0);
    expect(lifted).toHaveLength(5);
    expect(hits.slice(1, 6).every((hit) => (hit.memorySimilarity ?? 0) > 0)).toBe(true);
    // The memory was consulted: the papers it lent nothing say 0, except a paper no judged question
    // names ('new', as if ingested after the memory was written), which says nothing.
    expect(hits[0]!.memorySimilarity).toBeUndefined();
    expect(hits.slice(1).every((hit) => hit.memorySimilarity !== undefined)).toBe(true);
    const named = QuestionMemory.of(
      [...all, { set: 'z', id: 'z0', text: 'baking bread again', papers: { new: 1 } }],
      await embeddings.embedDocuments([...all.map((entry) => entry.text), 'baking bread again']),
      { floor: 0.3, unit: 0.1 },
    );
    expect(named.knows('new')).toBe(true);
    expect(named.leavingOut(['z']).knows('new')).toBe(false);
    const known = await new HybridRetriever(index, { memory: named, fusion }).search(question, { k: 8 });
    expect(known[0]!.paper.id).toBe('new');
    expect(known[0]!.memorySimilarity).toBe(0);
    expect(lifted.every((hit) => hit.score < hits[0]!.score)).toBe(true);
    // What was asked about the old papers lifts all seven, still under the paper no judged question
    // names; once a judged question names it, the memory compares it with the others.
    const asked = await new HybridRetriever(index, { memory }).search(question, { k: 8 });
    expect(asked[0]!.paper.id).toBe('new');
    expect(asked.slice(1).every((hit) => hit.score > plainScore(hit.paper.id))).toBe(true);
    const compared = await new HybridRetriever(index, { memory: named }).search(question, { k: 8 });
    expect(compared[0]!.paper.id).not.toBe('new');
    function plainScore(id: string): number {
      return plain.find((hit) => hit.paper.id === id)?.score ?? 0;
    }
  });

  it('ranks a paper by what was asked about it, in words its abstract does not use', async () => {
    const dir = tempDir();
    const embeddings = new HashingEmbeddings(64);
    const papers = [
      { id: 'phone', title: 'A phone for every wombat', abstract: 'Wombats shrink their phone bills.' },
      {
        id: 'distil',
        title: 'Distilling quokka networks',
        abstract: 'Quokka networks are distilled to a tenth of their parameters for on-device inference.',
      },
      { id: 'other', title: 'Wombat decoding', abstract: 'Wombat decoding is fast.' },
    ];
    const index = await PaperIndex.build(dir, papers, embeddings);
    const question = 'how do they shrink the program so it fits on a phone?';
    const judged: JudgedQuestion[] = [
      { set: 'x', id: 'x1', text: 'making the program small enough for a phone', papers: { distil: 2 } },
      { set: 'x', id: 'x2', text: 'can you shrink these AI programs?', papers: { distil: 2 } },
      { set: 'x', id: 'x3', text: 'what do wombats do about bills', papers: { phone: 2 } },
    ];
    const memory = QuestionMemory.of(
      judged,
      await embeddings.embedDocuments(judged.map((entry) => entry.text)),
    );
    const without = await new HybridRetriever(index, { memory, fusion: { askedWeight: 0 } }).search(question);
    expect(without[0]!.paper.id).toBe('phone');
    const hits = await new HybridRetriever(index, { memory }).search(question);
    expect(hits[0]!.paper.id).toBe('distil');
    // An evaluation that leaves those questions out finds what the abstracts alone say.
    const left = await new HybridRetriever(index, { memory: memory.leavingOut(['x']) }).search(question);
    expect(left[0]!.paper.id).toBe('phone');
  });
});

describe('term reliability from the judged questions', () => {
  const terms: Record<string, Set<string>> = {
    p1: new Set(['nest', 'embed', 'truncat']),
    p2: new Set(['glyph', 'imag']),
    p4: new Set(['edit', 'memori']),
  };
  const corpus = {
    has: (id: string) => id in terms,
    holds: (id: string, term: string) => terms[id]?.has(term) ?? false,
  };

  it('weighs a word by how often the papers of the judged questions using it hold it', () => {
    const weight = termReliability(questions, corpus);
    // "embeddings": used by three questions, held by the papers of two (p3 is not in the corpus, so
    // a2 counts by p2 alone, which lacks it): (2 + 2) / (3 + 2).
    expect(weight('embed')).toBeCloseTo(4 / 5);
    // "forget": one question, whose paper lacks it: (0 + 2) / (1 + 2).
    expect(weight('forget')).toBeCloseTo(2 / 3);
    expect(weight('truncat')).toBe(1);
    // A word no judged question uses keeps its full weight.
    expect(weight('quokka')).toBe(1);
  });

  it('counts only the questions in use, so an evaluation leaves its own set out', async () => {
    const vectors = await new HashingEmbeddings(32).embedDocuments(
      questions.map((question) => question.text),
    );
    const memory = QuestionMemory.of(questions, vectors);
    expect(memory.termWeight(corpus)('forget')).toBeCloseTo(2 / 3);
    expect(memory.leavingOut(['b']).termWeight(corpus)('forget')).toBe(1);
  });

  it('lets a topical word outweigh words people ask with but abstracts seldom use', async () => {
    const dir = tempDir();
    const embeddings = new HashingEmbeddings(64);
    const papers = [
      { id: 'ledger', title: 'Keep a big table', abstract: 'We keep one big table of ledgers for the shop.' },
      {
        id: 'squash',
        title: 'Compressing quokka weights',
        abstract: 'Quokka weights are compressed eightfold.',
      },
      { id: 'other', title: 'Wombat decoding', abstract: 'Wombat decoding is fast.' },
    ];
    const index = await PaperIndex.build(dir, papers, embeddings);
    const question = 'what keeps a big table compressed?';
    const before = await new HybridRetriever(index).search(question, { mode: 'lexical' });
    expect(before[0]!.paper.id).toBe('ledger');
    // Ten earlier questions asked with "keep", "big" and "table" about papers that use none of them.
    const judged = Array.from({ length: 10 }, (_, n) => ({
      set: 'x',
      id: `x${n}`,
      text: `how do they keep the big table small ${n}`,
      papers: { [n % 2 === 0 ? 'squash' : 'other']: 2 },
    }));
    const memory = QuestionMemory.of(
      judged,
      await embeddings.embedDocuments(judged.map((entry) => entry.text)),
    );
    const after = await new HybridRetriever(index, { memory }).search(question, { mode: 'lexical' });
    expect(after[0]!.paper.id).toBe('squash');
    // Without those questions the words weigh fully again.
    const without = await new HybridRetriever(index, { memory: memory.leavingOut(['x']) }).search(question, {
      mode: 'lexical',
    });
    expect(without[0]!.paper.id).toBe('ledger');
    // The answerability score weighs the question's words by the same reliability: IDF times it.
    const holder = {
      get: (id: string) => index.get(id),
      holdsTerm: (id: string, term: string) => index.holdsTerm(id, term),
    };
    const reliability = memoryReliability(holder, memory)!;
    expect(reliability('keep')).toBeCloseTo(2 / 12);
    expect(reliability('quokka')).toBe(1);
    const weighed = corpusTerms(index, reliability);
    expect(weighed.weight('keep')).toBeCloseTo(index.idf('keep') * (2 / 12));
    expect(weighed.weight('quokka')).toBeCloseTo(index.idf('quokka'));
    // Without a memory (or with the set left out) a word weighs its IDF alone.
    expect(memoryReliability(holder, undefined)).toBeUndefined();
    expect(memoryReliability({ get: holder.get }, memory)).toBeUndefined();
    expect(
      corpusTerms(index, memoryReliability(holder, memory.leavingOut(['x']))).weight('keep'),
    ).toBeCloseTo(index.idf('keep'));
  });
});

describe('retrieval with the bundled question memory', () => {
  const bundled = useBundledPaperIndex();

  it('finds the paper an everyday paraphrase means through similar judged questions of other sets', async () => {
    const { index } = bundled;
    // team-v's v01: the dynamic-evaluation paper (seed-015), in words its abstract does not use.
    const question =
      'is there anything on letting a language model keep nudging its own weights while it reads, so it gets better at stuff that keeps coming back in the recent text?';
    const memory = await openQuestionMemory({ indexDir: index.dir, embeddings: index.embeddings });
    const plain = await new HybridRetriever(index, { embedTimeoutMs: 60_000 }).search(question);
    expect(plain.map((hit) => hit.paper.id)).not.toContain('seed-015');
    const withMemory = await new HybridRetriever(index, {
      embedTimeoutMs: 60_000,
      memory: memory.leavingOut(['team-v']),
    }).search(question);
    const found = withMemory.findIndex((hit) => hit.paper.id === 'seed-015');
    expect(found).toBeGreaterThanOrEqual(0);
    expect(found).toBeLessThan(3);
    expect(withMemory[found]!.memorySimilarity).toBeGreaterThan(memory.calibration.floor);
    // Lexical mode ignores the memory.
    const lexical = await new HybridRetriever(index, { memory }).search(question, { mode: 'lexical' });
    expect(lexical.every((hit) => hit.memorySimilarity === undefined)).toBe(true);
  }, 120_000);
});
