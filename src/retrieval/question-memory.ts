import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { PACKAGE_ROOT } from '../corpus/bundled.ts';
import type { PaperEmbeddings } from '../embeddings/types.ts';
import { PaperbotError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';
import { Bm25Index, type LexicalHit } from './bm25.ts';
import { type TermHolder, termReliability } from './term-reliability.ts';

/** One question of a judged set and the papers judged relevant to it (grade 1 or 2). */
export interface JudgedQuestion {
  /** The set it comes from (`seed-dev`, `team-a`, …), so an evaluation can leave its own set out. */
  set: string;
  id: string;
  text: string;
  /** Paper id → relevance grade. */
  papers: Record<string, number>;
}

/**
 * How similar a judged question must be before it lends its papers weight, read off the memory
 * itself in each embedding model's own cosine scale: `floor` is the similarity that questions
 * judged on *different* papers exceed only a quarter of the time (USE-lite, 3,065 questions: 0.504),
 * `unit` the distance from it to the similarity that questions judged on the *same* paper reach one
 * time in ten (USE-lite: 0.224).
 */
export interface MemoryCalibration {
  floor: number;
  unit: number;
}

/** Quantiles of the calibration (see `MemoryCalibration`). */
const UNRELATED_QUANTILE = 0.75;
const RELATED_QUANTILE = 0.9;

/**
 * Weight of a judged question one `unit` above the floor, in the fused score's scale (BM25 and
 * dense shares sum to at most 1), and the most papers the memory may lift for one question. A
 * lifted paper never rises above the best paper the question found on its own (`HybridRetriever`),
 * so a paper no judged question names (one ingested later) keeps its place when it matches best.
 *
 * Chosen by two measurements side by side (README, Quality): Recall@10 of each of the 38 judged
 * sets with that set left out of the memory (0.902 without the memory → 0.958), and Recall@10 of
 * the questions whose judged papers were all taken out of the memory, a fifth of the papers at a
 * time, standing for papers ingested after the memory was written (0.984 → 0.978; nDCG@10 0.952 →
 * 0.943). Without the cap and the ceiling, weight 1 gave 0.968 on the first and 0.726 on the second.
 */
export const MEMORY_WEIGHT = 0.5;
export const MEMORY_PAPERS = 5;

/** The judged questions that ship with paperbot (`npm run build-question-memory` writes them). */
export const BUNDLED_MEMORY_PATH = join(PACKAGE_ROOT, 'corpus', 'judged-questions.jsonl');

/** Questions embedded per model call when the memory's vectors are computed. */
const EMBED_BATCH = 64;

/**
 * Judged questions the native scan returns first (`QuestionMemory.boosts`); more are fetched, four
 * times as many each round, until the answer is certain.
 */
const SCAN_FIRST = 64;
/**
 * Most the native scan's float32 similarity can differ from the exact one `dot` computes (unit
 * vectors of 512 floats: about 1e-6); a candidate cut is trusted only this far above it.
 */
const SCAN_SLACK = 1e-4;

/**
 * The memory's vectors in hnswlib-node's exhaustive inner-product search, built on first use and
 * shared by every view of the memory: measured with 2,585 questions, one native scan took ~0.4 ms
 * where the JavaScript loop took ~4 ms of each question's ~33 ms (`npm run bench -- e2e`). A cache
 * file is laid out as hnswlib's own saved exhaustive index (`writeCache`), so a memory read from one
 * loads it natively (`readIndexSync`) instead of copying each vector in through `addPoint`: with
 * 7,505 questions about 45 ms instead of about 720 ms (both on a loaded machine, side by side).
 * A file of that name holds the vectors of that model and those questions (`cacheKey`, written
 * atomically), so it is the memory's own; if it is gone or unreadable, the vectors are copied in.
 */
class NativeScan {
  private index: InstanceType<typeof hnswlib.BruteforceSearch> | undefined;

  constructor(
    private readonly vectors: readonly Float32Array[],
    private readonly file?: string,
  ) {}

  /**
   * The `k` nearest questions not `excluded`, best first, with their float32 similarities, and
   * whether they are all there are. Left-out questions are fetched and dropped here (hnswlib's own
   * filter may return fewer than asked), so `k` counts questions in use.
   */
  nearest(
    query: Float32Array,
    k: number,
    excluded: ReadonlySet<number>,
  ): { candidates: { label: number; similarity: number }[]; complete: boolean } {
    const fetched = Math.min(this.vectors.length, k + excluded.size);
    if (fetched === 0) return { candidates: [], complete: true };
    this.index ??= this.load() ?? this.build();
    const found = this.index.searchKnn(plain(query), fetched);
    // The inner-product distance is 1 - similarity.
    const candidates = found.neighbors
      .map((label, at) => ({ label, similarity: 1 - found.distances[at]! }))
      .filter(({ label }) => !excluded.has(label))
      .sort((left, right) => right.similarity - left.similarity || left.label - right.label);
    return { candidates, complete: fetched >= this.vectors.length };
  }

  /** The index saved in the cache file, or undefined if there is none or it does not read. */
  private load(): InstanceType<typeof hnswlib.BruteforceSearch> | undefined {
    if (!this.file) return undefined;
    try {
      const index = new hnswlib.BruteforceSearch('ip', this.vectors[0]!.length);
      index.readIndexSync(this.file);
      return index.getCurrentCount() === this.vectors.length ? index : undefined;
    } catch {
      return undefined;
    }
  }

  private build(): InstanceType<typeof hnswlib.BruteforceSearch> {
    const index = new hnswlib.BruteforceSearch('ip', this.vectors[0]!.length);
    index.initIndex(this.vectors.length);
    this.vectors.forEach((vector, label) => {
      index.addPoint(plain(vector), label);
    });
    return index;
  }
}

/** A plain array of the vector's numbers (hnswlib-node takes no typed arrays); a loop is ~10x `Array.from`. */
function plain(vector: Float32Array): number[] {
  const out = new Array<number>(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]!;
  return out;
}

/**
 * File format version of the cached vectors. Version 1 was JSON with the vectors in base64, and
 * reading and decoding its 18.5 MB took about half a second of every cold start once the memory held
 * 6,785 questions. Version 2 (twenty-sixth session) was a JSON header line, then raw float32 rows.
 * Version 3 (twenty-seventh) is hnswlib's saved exhaustive index with the JSON header after it
 * (`writeCache`), so the native scan loads the file instead of copying every vector in.
 */
const FORMAT = 3;

/** A judged question that bears on a paper: the paper's boost and the question's similarity. */
export interface MemoryBoost {
  boost: number;
  similarity: number;
}

/** What `HybridRetriever` asks of a question memory. */
export interface QuestionMemoryView {
  /** Paper id → boost, for the few papers of the judged questions most similar to `vector`. */
  boosts(vector: readonly number[]): Map<string, MemoryBoost>;
  /**
   * Whether some judged question in use names the paper. Optional: without it every paper counts as
   * known, so one the memory lent nothing reads 0.
   */
  knows?(paperId: string): boolean;
  /**
   * How far each question word can be trusted to name the topic (`termReliability` over the judged
   * questions in use, over `corpus` as it is on the first call). Optional: without it every word
   * weighs 1.
   */
  termWeight?(corpus: TermHolder): (term: string) => number;
  /**
   * BM25 over what people asked about each paper: every judged question in use, joined to each
   * paper it judges relevant (`QuestionMemory.searchAsked`). Optional: without it, no such list.
   */
  searchAsked?(query: string, k: number): LexicalHit[];
}

/** Reads `judged-questions.jsonl`; throws MEMORY_INVALID naming the bad line. */
export function readJudgedQuestions(path: string): JudgedQuestion[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .flatMap((line, index) => {
      if (!line.trim()) return [];
      let record: Partial<JudgedQuestion>;
      try {
        record = JSON.parse(line) as Partial<JudgedQuestion>;
      } catch {
        throw new PaperbotError('MEMORY_INVALID', `${path}:${index + 1} is not valid JSON.`);
      }
      if (
        typeof record.set !== 'string' ||
        typeof record.id !== 'string' ||
        typeof record.text !== 'string' ||
        typeof record.papers !== 'object' ||
        record.papers === null
      ) {
        throw new PaperbotError(
          'MEMORY_INVALID',
          `${path}:${index + 1} needs "set", "id", "text" and "papers". Regenerate it with npm run build-question-memory.`,
        );
      }
      return [record as JudgedQuestion];
    });
}

function dot(left: Float32Array, right: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < left.length; i++) sum += left[i]! * right[i]!;
  return sum;
}

function quantile(values: number[], share: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * (sorted.length - 1)))] ?? 0;
}

/** The calibration of `vectors` (see `MemoryCalibration`); deterministic. */
export function calibrate(
  questions: readonly JudgedQuestion[],
  vectors: readonly Float32Array[],
): MemoryCalibration {
  const unrelated: number[] = [];
  const related: number[] = [];
  const paperSets = questions.map((question) => new Set(Object.keys(question.papers)));
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++) {
      const shared = [...paperSets[i]!].some((paper) => paperSets[j]!.has(paper));
      (shared ? related : unrelated).push(dot(vectors[i]!, vectors[j]!));
    }
  }
  const floor = quantile(unrelated, UNRELATED_QUANTILE);
  const top = quantile(related, RELATED_QUANTILE);
  return { floor, unit: top > floor ? top - floor : 1 };
}

/**
 * The questions of the judged sets, embedded: a new question near one of them lends weight to the
 * papers judged relevant to it (nearest-neighbour relevance feedback from judged questions). This
 * is what bridges everyday wording that neither BM25 nor the passage vectors match to an abstract.
 * Papers ingested later have no judged questions and are ranked by BM25 and passages alone.
 */
export class QuestionMemory implements QuestionMemoryView {
  private constructor(
    readonly questions: readonly JudgedQuestion[],
    private readonly vectors: readonly Float32Array[],
    readonly calibration: MemoryCalibration,
    private readonly left: ReadonlySet<number> = new Set(),
    private readonly scan = new NativeScan(vectors),
  ) {}

  /** The judged questions in use (not left out). */
  private inUse(): JudgedQuestion[] {
    return this.questions.filter((_, index) => !this.left.has(index));
  }

  private byPaper: Map<string, string[]> | undefined;

  /** Paper id → the texts of the judged questions in use that name it (computed once). */
  private askedAbout(): Map<string, string[]> {
    if (!this.byPaper) {
      const byPaper = new Map<string, string[]>();
      for (const question of this.inUse()) {
        for (const paper of Object.keys(question.papers)) {
          const texts = byPaper.get(paper) ?? [];
          texts.push(question.text);
          byPaper.set(paper, texts);
        }
      }
      this.byPaper = byPaper;
    }
    return this.byPaper;
  }

  /** Number of judged questions in use (after any left out). */
  get size(): number {
    return this.questions.length - this.left.size;
  }

  /** Whether a judged question in use (not left out) names the paper. */
  knows(paperId: string): boolean {
    return this.askedAbout().has(paperId);
  }

  private reliability: ((term: string) => number) | undefined;

  private asked: Bm25Index | undefined;

  /**
   * Papers by BM25 over the judged questions asked about them: each paper named by a judged
   * question in use (any grade) is a document of those questions' texts. Document expansion from
   * past questions (as doc2query expands documents with questions they answer): everyday words
   * that no abstract uses ("shrink", "phone", "chat program") match the papers people asked about in
   * those words, word by word rather than only through a whole similar question. Built on first
   * use, for this view's questions only, so `eval` leaves the set's own questions out of it too.
   */
  searchAsked(query: string, k: number): LexicalHit[] {
    if (!this.asked) {
      const asked = new Bm25Index();
      for (const [paper, texts] of this.askedAbout()) asked.set(paper, texts.join('\n'));
      this.asked = asked;
    }
    return this.asked.search(query, k);
  }

  termWeight(corpus: TermHolder): (term: string) => number {
    this.reliability ??= termReliability(this.inUse(), corpus);
    return this.reliability;
  }

  /**
   * The memory of `path` embedded with `embeddings`: the vectors are read from a cache file in the
   * first of `cacheDirs` that holds one for this model and these questions, else computed and
   * written to `cacheDirs[0]` (a cache that cannot be written is logged and skipped).
   */
  static async open(options: {
    path: string;
    embeddings: PaperEmbeddings;
    cacheDirs: string[];
    logger?: Logger;
  }): Promise<QuestionMemory> {
    const questions = readJudgedQuestions(options.path);
    const key = cacheKey(options.embeddings.modelId, questions);
    const fileName = `question-memory-${key}.bin`;
    for (const dir of options.cacheDirs) {
      const file = join(dir, fileName);
      const cached = readCache(file, key, questions.length, options.embeddings.dimensions);
      if (cached) {
        return new QuestionMemory(
          questions,
          cached.vectors,
          cached.calibration,
          new Set(),
          new NativeScan(cached.vectors, file),
        );
      }
    }
    const vectors: Float32Array[] = [];
    for (let start = 0; start < questions.length; start += EMBED_BATCH) {
      const batch = questions.slice(start, start + EMBED_BATCH).map((question) => question.text);
      for (const vector of await options.embeddings.embedDocuments(batch)) vectors.push(unit(vector));
    }
    const calibration = calibrate(questions, vectors);
    const target = options.cacheDirs[0];
    let written: string | undefined;
    if (target) {
      try {
        writeCache(
          join(target, fileName),
          { key, modelId: options.embeddings.modelId },
          vectors,
          calibration,
        );
        written = join(target, fileName);
        removeStaleCaches(target, fileName, options.embeddings.modelId);
      } catch (error) {
        options.logger?.warn(
          { err: error, dir: target },
          'could not cache the question memory; it is computed again next start',
        );
      }
    }
    return new QuestionMemory(questions, vectors, calibration, new Set(), new NativeScan(vectors, written));
  }

  /**
   * A memory of the given questions and vectors (tests, and callers that embed themselves),
   * calibrated on them unless a calibration is given.
   */
  static of(
    questions: JudgedQuestion[],
    vectors: number[][],
    calibration?: MemoryCalibration,
  ): QuestionMemory {
    const units = vectors.map(unit);
    return new QuestionMemory(questions, units, calibration ?? calibrate(questions, units));
  }

  /**
   * The same memory without the questions of `sets`, any question whose text is one of `texts`,
   * and any question that names one of `papers`: an evaluation of a judged set leaves that set out,
   * so it measures questions the memory has not seen; leaving papers out stands for papers no judged
   * question names (the calibration stays that of the whole memory).
   */
  leavingOut(
    sets: Iterable<string>,
    texts: Iterable<string> = [],
    papers: Iterable<string> = [],
  ): QuestionMemory {
    const setNames = new Set(sets);
    const textSet = new Set([...texts].map(normalise));
    const paperSet = new Set(papers);
    const left = new Set<number>(this.left);
    this.questions.forEach((question, index) => {
      if (
        setNames.has(question.set) ||
        textSet.has(normalise(question.text)) ||
        Object.keys(question.papers).some((paper) => paperSet.has(paper))
      ) {
        left.add(index);
      }
    });
    return new QuestionMemory(this.questions, this.vectors, this.calibration, left, this.scan);
  }

  /**
   * The papers of the judged questions nearest `vector`, as an exhaustive scan in JavaScript would
   * find them: the native scan only picks the candidates. Each candidate's similarity is computed
   * again exactly (`dot`), and the candidates are trusted once the questions not fetched
   * (similarity at most the last fetched one's, plus `SCAN_SLACK`) can neither pass the floor nor
   * enter the best `MEMORY_PAPERS` papers; otherwise four times as many are fetched.
   */
  boosts(vector: readonly number[]): Map<string, MemoryBoost> {
    const query = unit(vector);
    let best = new Map<string, number>();
    for (let k = SCAN_FIRST; ; k *= 4) {
      const { candidates, complete } = this.scan.nearest(query, k, this.left);
      best = new Map<string, number>();
      for (const { label } of candidates) {
        const similarity = dot(this.vectors[label]!, query);
        if (similarity <= this.calibration.floor) continue;
        for (const paper of Object.keys(this.questions[label]!.papers)) {
          if (similarity > (best.get(paper) ?? Number.NEGATIVE_INFINITY)) best.set(paper, similarity);
        }
      }
      if (complete) break;
      const unseen = (candidates.at(-1)?.similarity ?? Number.NEGATIVE_INFINITY) + SCAN_SLACK;
      if (unseen <= this.calibration.floor) break;
      const kept = [...best.values()].sort((left, right) => right - left);
      if (kept.length >= MEMORY_PAPERS && kept[MEMORY_PAPERS - 1]! > unseen) break;
    }
    const boosts = new Map<string, MemoryBoost>();
    const nearest = [...best]
      .sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]))
      .slice(0, MEMORY_PAPERS);
    for (const [paper, similarity] of nearest) {
      const boost = (MEMORY_WEIGHT * (similarity - this.calibration.floor)) / this.calibration.unit;
      boosts.set(paper, { boost, similarity });
    }
    return boosts;
  }
}

function normalise(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

function unit(vector: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(vector as ArrayLike<number>);
  const norm = Math.sqrt(dot(out, out)) || 1;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / norm;
  return out;
}

/** Names the model and every question, so a changed set or model never reads stale vectors. */
function cacheKey(modelId: string, questions: readonly JudgedQuestion[]): string {
  const hash = createHash('sha256').update(modelId);
  for (const question of questions) hash.update('\u0000').update(question.text);
  return hash.digest('hex').slice(0, 16);
}

/**
 * The JSON trailer of a cache file. The file is hnswlib-node's saved exhaustive index (hnswlib's
 * `BruteforceSearch::saveIndex`), so `readIndexSync` loads it as it is: three 64-bit sizes (rows it
 * holds room for, bytes per row, rows), then per row the unit vector as float32 and its label (the
 * row's number) as a 64-bit integer, all in the writing machine's byte order (`endianness`). hnswlib
 * reads no further; this header follows, as JSON to the end of the file.
 */
interface CacheHeader {
  format: number;
  key: string;
  /** The embedding model, so that a newer cache of the same model replaces this one. */
  modelId: string;
  count: number;
  dimensions: number;
  endianness: 'BE' | 'LE';
  calibration: MemoryCalibration;
}

/** Bytes of hnswlib's file head (three 64-bit sizes) and of each row's label. */
const SCAN_HEAD = 24;
const LABEL_BYTES = 8;

function readSize(bytes: Buffer, at: number): number {
  const value = endianness() === 'LE' ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : Number.NaN;
}

function writeSize(bytes: Buffer, at: number, value: number): void {
  if (endianness() === 'LE') bytes.writeBigUInt64LE(BigInt(value), at);
  else bytes.writeBigUInt64BE(BigInt(value), at);
}

/**
 * The header of a cache file, and its rows' count and size, or undefined if it is not one: format 3
 * (the header after hnswlib's index), else formats 1 and 2 (a first line of JSON; no rows read).
 */
function readHeader(
  bytes: Buffer,
): { header: Partial<CacheHeader>; rows?: number; rowBytes?: number } | undefined {
  if (bytes.length > SCAN_HEAD) {
    const capacity = readSize(bytes, 0);
    const rowBytes = readSize(bytes, 8);
    const rows = readSize(bytes, 16);
    const end = SCAN_HEAD + rows * rowBytes;
    if (capacity === rows && rowBytes >= LABEL_BYTES && end < bytes.length) {
      try {
        return { header: JSON.parse(bytes.toString('utf8', end)) as Partial<CacheHeader>, rows, rowBytes };
      } catch {
        // Not this format.
      }
    }
  }
  const line = bytes.indexOf(0x0a);
  if (line < 0) return undefined;
  return { header: JSON.parse(bytes.toString('utf8', 0, line)) as Partial<CacheHeader> };
}

function readCache(
  path: string,
  key: string,
  count: number,
  dimensions: number,
): { vectors: Float32Array[]; calibration: MemoryCalibration } | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const bytes = readFileSync(path);
    const head = readHeader(bytes);
    if (!head) return undefined;
    const { header, rows, rowBytes } = head;
    if (
      header.format !== FORMAT ||
      header.key !== key ||
      header.count !== count ||
      rows !== count ||
      header.dimensions !== dimensions ||
      rowBytes !== dimensions * 4 + LABEL_BYTES ||
      header.endianness !== endianness() ||
      !Number.isFinite(header.calibration?.floor) ||
      !Number.isFinite(header.calibration?.unit)
    ) {
      return undefined;
    }
    const vectors: Float32Array[] = [];
    for (let row = 0; row < count; row++) {
      const at = SCAN_HEAD + row * rowBytes;
      if (readSize(bytes, at + dimensions * 4) !== row) return undefined;
      const offset = bytes.byteOffset + at;
      // A view of the file's bytes where they are aligned (rows are, in a buffer of its own); a copy
      // otherwise.
      vectors.push(
        offset % 4 === 0
          ? new Float32Array(bytes.buffer, offset, dimensions)
          : new Float32Array(bytes.buffer.slice(offset, offset + dimensions * 4)),
      );
    }
    return { vectors, calibration: header.calibration as MemoryCalibration };
  } catch {
    // A damaged cache is only a cache: the vectors are computed again.
    return undefined;
  }
}

function writeCache(
  path: string,
  { key, modelId }: { key: string; modelId: string },
  vectors: Float32Array[],
  calibration: MemoryCalibration,
): void {
  const dimensions = vectors[0]?.length ?? 0;
  const rowBytes = dimensions * 4 + LABEL_BYTES;
  const index = Buffer.alloc(SCAN_HEAD + vectors.length * rowBytes);
  writeSize(index, 0, vectors.length);
  writeSize(index, 8, rowBytes);
  writeSize(index, 16, vectors.length);
  vectors.forEach((vector, row) => {
    const at = SCAN_HEAD + row * rowBytes;
    Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).copy(index, at);
    writeSize(index, at + dimensions * 4, row);
  });
  const header: CacheHeader = {
    format: FORMAT,
    key,
    modelId,
    count: vectors.length,
    dimensions,
    endianness: endianness(),
    calibration,
  };
  writeFileAtomic(path, Buffer.concat([index, Buffer.from(JSON.stringify(header), 'utf8')]));
}

/**
 * The bundled question memory for `embeddings`: vectors cached in `indexDir`, or read from the
 * package's own `index/` (which holds them for the local model), or computed once and cached.
 */
export function openQuestionMemory(options: {
  indexDir: string;
  embeddings: PaperEmbeddings;
  logger?: Logger;
  /** The judged questions (default: the bundled ones). */
  path?: string;
}): Promise<QuestionMemory> {
  const bundled = join(PACKAGE_ROOT, 'index');
  return QuestionMemory.open({
    path: options.path ?? BUNDLED_MEMORY_PATH,
    embeddings: options.embeddings,
    cacheDirs: options.indexDir === bundled ? [bundled] : [options.indexDir, bundled],
    logger: options.logger,
  });
}

/** Removes the caches of `modelId` for other questions (an older memory) beside `current`. */
function removeStaleCaches(dir: string, current: string, modelId: string): void {
  for (const name of readdirSync(dir)) {
    // `.json`: the caches before format 2, one line of JSON holding the vectors too.
    if (name === current || !/^question-memory-[0-9a-f]+\.(bin|json)$/.test(name)) continue;
    try {
      const head = readHeader(readFileSync(join(dir, name)));
      if (head?.header.modelId === modelId) rmSync(join(dir, name), { force: true });
    } catch {
      // Not ours to judge: leave it.
    }
  }
}
