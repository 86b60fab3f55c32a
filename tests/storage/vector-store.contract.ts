import type { VectorStore } from '@langchain/core/vectorstores';
import { expect, it } from 'vitest';
import { chunkDocument } from '../../src/retrieval/hnsw-vector-store.ts';
import { densePaperHits } from '../../src/retrieval/search-corpus.ts';
import { openForEachTest } from './contract-setup.ts';

/** An empty vector store of `dimensions`, its papers' rows (when the engine needs them), and disposal. */
export interface OpenedVectorStore {
  store: VectorStore;
  /** Makes `paperIds` valid owners of passages (a foreign key in PostgreSQL; nothing for hnswlib). */
  addPapers(paperIds: string[]): Promise<void>;
  close(): Promise<void>;
}

const DIMENSIONS = 8;

/** A unit vector pointing mostly along `axis`, tilted by `tilt` towards the next axis. */
function direction(axis: number, tilt = 0): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  vector[axis % DIMENSIONS] = 1;
  vector[(axis + 1) % DIMENSIONS] = tilt;
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

/**
 * The behaviour every passage `VectorStore` must have (hnswlib and pgvector): cosine scores,
 * best first, documents with their paper, deletion by returned id, and every row a query asks
 * for (pgvector returns at most `hnsw.ef_search` rows unless the store raises it).
 */
export function vectorStoreContract(open: (dimensions: number) => Promise<OpenedVectorStore>): void {
  let opened: OpenedVectorStore;
  openForEachTest(
    () => open(DIMENSIONS),
    (value) => {
      opened = value;
    },
  );

  it('returns passages best first with their cosine similarity and paper', async () => {
    await opened.addPapers(['a', 'b']);
    await opened.store.addVectors(
      [direction(0), direction(0, 1), direction(3)],
      [
        chunkDocument('alpha title', { paperId: 'a', chunk: 0 }),
        chunkDocument('alpha sentence', { paperId: 'a', chunk: 1 }),
        chunkDocument('beta title', { paperId: 'b', chunk: 0 }),
      ],
    );
    const hits = await opened.store.similaritySearchVectorWithScore(direction(0), 3);
    expect(
      hits.map(([document]) => [document.pageContent, document.metadata.paperId, document.metadata.chunk]),
    ).toEqual([
      ['alpha title', 'a', 0],
      ['alpha sentence', 'a', 1],
      ['beta title', 'b', 0],
    ]);
    expect(hits[0]?.[1]).toBeCloseTo(1, 5);
    expect(hits[1]?.[1]).toBeCloseTo(Math.SQRT1_2, 5);
    expect(hits[2]?.[1]).toBeCloseTo(0, 5);
    expect(await densePaperHits(opened.store, direction(3), 2)).toEqual([
      { id: 'b', similarity: expect.closeTo(1, 5) },
      { id: 'a', similarity: expect.closeTo(0, 5) },
    ]);
  });

  it('no longer returns a passage deleted by the id addVectors gave', async () => {
    await opened.addPapers(['a', 'b']);
    const ids = await opened.store.addVectors(
      [direction(1), direction(2)],
      [chunkDocument('one', { paperId: 'a', chunk: 0 }), chunkDocument('two', { paperId: 'b', chunk: 0 })],
    );
    expect(ids).toHaveLength(2);
    await opened.store.delete({ ids: [(ids as string[])[0] as string] });
    const hits = await opened.store.similaritySearchVectorWithScore(direction(1), 5);
    expect(hits.map(([document]) => document.pageContent)).toEqual(['two']);
  });

  it('returns every row asked for, beyond the HNSW search list size', async () => {
    const papers = Array.from({ length: 300 }, (_, position) => `p${position}`);
    await opened.addPapers(papers);
    // Distinct, spread vectors: pgvector folds identical ones into one graph element, hiding the ef_search cap.
    let seed = 12_345;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648 - 0.5;
    };
    const vectors = papers.map(() => Array.from({ length: DIMENSIONS }, random));
    await opened.store.addVectors(
      vectors,
      papers.map((id) => chunkDocument(`text ${id}`, { paperId: id, chunk: 0 })),
    );
    const hits = await opened.store.similaritySearchVectorWithScore(direction(0), 250);
    expect(hits).toHaveLength(250);
    const scores = hits.map(([, score]) => score);
    expect(scores).toEqual([...scores].sort((left, right) => right - left));
    expect(new Set(hits.map(([document]) => document.metadata.paperId)).size).toBe(250);
  });
}
