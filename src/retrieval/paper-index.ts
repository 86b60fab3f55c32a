import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Paper } from '../corpus/paper.ts';
import { splitSentences } from '../corpus/sentences.ts';
import type { PaperEmbeddings } from '../embeddings/types.ts';
import { contentHash } from '../storage/content-hash.ts';
import { acquireDirectoryLock } from '../storage/directory-lock.ts';
import { MANIFEST_FILE } from '../storage/index-layout.ts';
import { Bm25Index, type LexicalHit } from './bm25.ts';
import {
  type ChunkDocument,
  chunkDocument,
  type HnswParameters,
  HnswVectorStore,
} from './hnsw-vector-store.ts';
import { readIndexFiles, type StoredPaper, type VerifyLevel, writeIndexFiles } from './index-files.ts';
import type { IndexManifest } from './index-manifest.ts';
import { densePaperHits, type SearchCorpus } from './search-corpus.ts';
import type { SpellingCorrection } from './spelling.ts';

/** Name of the lock that serialises writers of one index directory. */
const WRITE_LOCK = 'write';

/** Passages embedded per model call while building. */
const EMBED_BATCH = 64;

export type ProgressCallback = (done: number, total: number) => void;

export interface DenseHit {
  id: string;
  /** Cosine similarity of the paper's best passage. */
  similarity: number;
}

export interface UpsertResult {
  added: string[];
  updated: string[];
  unchanged: number;
}

/** The passages embedded for a paper: its title, then each abstract sentence. */
export function paperPassages(paper: Paper): string[] {
  return [paper.title, ...splitSentences(paper.abstract)];
}

/** Text indexed lexically; the title counts twice (the same for every backend). */
export function lexicalText(paper: Paper): string {
  return `${paper.title} ${paper.title} ${paper.abstract}`;
}

/**
 * The searchable corpus: an HNSW index of abstract passages (through LangChain's VectorStore),
 * a BM25 index kept in step, and the papers themselves, persisted under one directory with a
 * manifest. Every save writes a new generation of files and renames the manifest last, so a
 * crash at any point leaves the previous index usable.
 */
export class PaperIndex implements SearchCorpus {
  private stored = new Map<string, StoredPaper>();
  private lexical = new Bm25Index();
  private manifestValue: IndexManifest | undefined;

  private constructor(
    readonly dir: string,
    readonly embeddings: PaperEmbeddings,
    private store: HnswVectorStore,
  ) {}

  /** Builds a new index of `papers` in `dir`, replacing any previous one only when complete. */
  static async build(
    dir: string,
    papers: Paper[],
    embeddings: PaperEmbeddings,
    options: { onProgress?: ProgressCallback; parameters?: Partial<HnswParameters> } = {},
  ): Promise<PaperIndex> {
    mkdirSync(dir, { recursive: true });
    const store = new HnswVectorStore(embeddings, {
      dimensions: embeddings.dimensions,
      parameters: options.parameters,
    });
    const index = new PaperIndex(dir, embeddings, store);
    await index.embedAndAdd(papers, options.onProgress);
    const release = await acquireDirectoryLock(dir, WRITE_LOCK);
    try {
      index.save(new Date().toISOString());
    } finally {
      release();
    }
    return index;
  }

  /**
   * Opens the index in `dir`; throws INDEX_MISSING, INDEX_MISMATCH or INDEX_CORRUPT with the fix.
   * `verify: 'full'` re-hashes every paper against the manifest's checksum whatever the size.
   */
  static async open(
    dir: string,
    embeddings: PaperEmbeddings,
    options: { verify?: VerifyLevel } = {},
  ): Promise<PaperIndex> {
    const { manifest, store, papers } = readIndexFiles(dir, embeddings, options.verify);
    const index = new PaperIndex(dir, embeddings, store);
    for (const entry of papers) index.setStored(entry);
    index.manifestValue = manifest;
    return index;
  }

  get size(): number {
    return this.stored.size;
  }

  get manifest(): IndexManifest | undefined {
    return this.manifestValue;
  }

  /** The LangChain vector store holding the passages (one vector per title or sentence). */
  get vectorStore(): HnswVectorStore {
    return this.store;
  }

  /** Number of documents in the lexical index (equals `size` when in step). */
  get lexicalSize(): number {
    return this.lexical.size;
  }

  papers(): Paper[] {
    return [...this.stored.values()].map((entry) => entry.paper);
  }

  get(id: string): Paper | undefined {
    return this.stored.get(id)?.paper;
  }

  hashOf(id: string): string | undefined {
    return this.stored.get(id)?.hash;
  }

  /**
   * Embeds only new or changed papers (by content hash), refreshes the stored fields of the others
   * (upvotes, links...), keeps the lexical index in step and saves atomically. Idempotent.
   */
  async upsert(papers: Paper[], options: { onProgress?: ProgressCallback } = {}): Promise<UpsertResult> {
    return this.whileLocked(() => this.upsertLocked(papers, options));
  }

  private async upsertLocked(
    papers: Paper[],
    options: { onProgress?: ProgressCallback },
  ): Promise<UpsertResult> {
    const result: UpsertResult = { added: [], updated: [], unchanged: 0 };
    const toEmbed: Paper[] = [];
    let metadataChanged = false;
    for (const paper of papers) {
      const existing = this.stored.get(paper.id);
      if (!existing) {
        result.added.push(paper.id);
        toEmbed.push(paper);
      } else if (existing.hash !== contentHash(paper)) {
        result.updated.push(paper.id);
        toEmbed.push(paper);
      } else {
        result.unchanged++;
        if (JSON.stringify(existing.paper) !== JSON.stringify(paper)) {
          existing.paper = paper;
          metadataChanged = true;
        }
      }
    }
    if (toEmbed.length === 0 && !metadataChanged) return result;
    await this.embedAndAdd(toEmbed, options.onProgress);
    this.save();
    return result;
  }

  /** Removes papers by id and saves; returns how many were present. */
  async remove(ids: string[]): Promise<number> {
    return this.whileLocked(() => this.removeLocked(ids));
  }

  private async removeLocked(ids: string[]): Promise<number> {
    let removed = 0;
    for (const id of ids) {
      if (!this.stored.has(id)) continue;
      await this.store.delete({ ids: this.store.labelsOf(id).map(String) });
      this.stored.delete(id);
      this.lexical.delete(id);
      removed++;
    }
    if (removed > 0) this.save();
    return removed;
  }

  /** Re-reads the files when another process saved a newer generation; returns whether it did. */
  async reloadIfChanged(): Promise<boolean> {
    let onDisk: Partial<IndexManifest> | null;
    try {
      onDisk = JSON.parse(
        readFileSync(join(this.dir, MANIFEST_FILE), 'utf8'),
      ) as Partial<IndexManifest> | null;
    } catch {
      return false;
    }
    // A damaged manifest is reported by `open` below with the fix, never as a TypeError here.
    if (onDisk?.files?.vectors !== undefined && onDisk.files.vectors === this.manifestValue?.files.vectors) {
      return false;
    }
    const fresh = await PaperIndex.open(this.dir, this.embeddings);
    this.store = fresh.store;
    this.stored = fresh.stored;
    this.lexical = fresh.lexical;
    this.manifestValue = fresh.manifestValue;
    return true;
  }

  /** Number of papers whose title or abstract contains a (stemmed) term. */
  documentFrequency(term: string): number {
    return this.lexical.documentFrequency(term);
  }

  /** Inverse document frequency of a (stemmed) term in the lexical index. */
  idf(term: string): number {
    return this.lexical.idf(term);
  }

  /** Best papers by BM25. */
  searchLexical(query: string, k: number, termWeight?: (term: string) => number): LexicalHit[] {
    return this.lexical.search(query, k, termWeight);
  }

  holdsTerm(paperId: string, term: string): boolean {
    return this.lexical.holds(paperId, term);
  }

  /** Papers like the weighted ones (`Bm25Index.searchLike`). */
  searchLike(documents: readonly { id: string; weight: number }[], k: number, terms: number): LexicalHit[] {
    return this.lexical.searchLike(documents, k, terms);
  }

  /** The query with its misspelt words replaced by corpus words (`spelling.ts`). */
  correctSpelling(query: string): SpellingCorrection {
    return this.lexical.correctSpelling(query);
  }

  /** Best papers by the cosine similarity of their best passage to `vector`. */
  async searchDense(vector: number[], k: number): Promise<DenseHit[]> {
    return densePaperHits(this.store, vector, k);
  }

  /**
   * Runs a change under the index's write lock, first catching up with whatever another process
   * saved meanwhile, so two writers (a CLI ingest beside `serve`) never overwrite each other.
   */
  private async whileLocked<T>(change: () => Promise<T>): Promise<T> {
    const release = await acquireDirectoryLock(this.dir, WRITE_LOCK);
    try {
      await this.reloadIfChanged();
      return await change();
    } finally {
      release();
    }
  }

  private setStored(entry: StoredPaper): void {
    this.stored.set(entry.paper.id, entry);
    this.lexical.set(entry.paper.id, lexicalText(entry.paper));
  }

  private async embedAndAdd(papers: Paper[], onProgress?: ProgressCallback): Promise<void> {
    const passages: { text: string; paper: Paper; chunk: number; last: boolean }[] = [];
    for (const paper of papers) {
      const texts = paperPassages(paper);
      texts.forEach((text, chunk) => {
        passages.push({ text, paper, chunk, last: chunk === texts.length - 1 });
      });
    }
    let papersDone = 0;
    onProgress?.(0, papers.length);
    for (let start = 0; start < passages.length; start += EMBED_BATCH) {
      const batch = passages.slice(start, start + EMBED_BATCH);
      const vectors = await this.embeddings.embedDocuments(batch.map((passage) => passage.text));
      for (const passage of batch) {
        if (passage.chunk === 0) {
          const old = this.store.labelsOf(passage.paper.id);
          if (old.length > 0) await this.store.delete({ ids: old.map(String) });
        }
      }
      const documents: ChunkDocument[] = batch.map((passage) =>
        chunkDocument(passage.text, { paperId: passage.paper.id, chunk: passage.chunk }),
      );
      await this.store.addVectors(vectors, documents);
      for (const passage of batch) {
        if (!passage.last) continue;
        this.setStored({ paper: passage.paper, hash: contentHash(passage.paper) });
        papersDone++;
      }
      onProgress?.(papersDone, papers.length);
    }
  }

  private save(builtAt = this.manifestValue?.builtAt ?? new Date().toISOString()): void {
    try {
      this.manifestValue = writeIndexFiles(this.dir, {
        store: this.store,
        papers: [...this.stored.values()],
        embeddings: this.embeddings,
        builtAt,
        previous: this.manifestValue,
      });
    } catch (error) {
      // What is in memory was not saved: go back to the saved generation, so the next sync sees
      // the unsaved papers as missing and embeds them again instead of taking them as indexed.
      if (this.manifestValue) this.restoreSaved();
      throw error;
    }
  }

  /** Replaces the in-memory state with the generation on disk (best effort: a failure keeps the state). */
  private restoreSaved(): void {
    try {
      const { manifest, store, papers } = readIndexFiles(this.dir, this.embeddings);
      this.store = store;
      this.stored = new Map();
      this.lexical = new Bm25Index();
      for (const entry of papers) this.setStored(entry);
      this.manifestValue = manifest;
    } catch {
      // The caller reports the save failure; this index is then reloaded on the next change.
    }
  }
}
