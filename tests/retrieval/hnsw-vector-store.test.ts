import { describe, expect, it } from 'vitest';
import { chunkDocument, HnswVectorStore } from '../../src/retrieval/hnsw-vector-store.ts';
import { HashingEmbeddings } from '../fakes/hashing-embeddings.ts';

// HnswVectorStore is a LangChain VectorStore so that LangChain code can use it as any other store:
// these tests drive it only through LangChain's generic API (addDocuments, filters, retrievers).
describe('HnswVectorStore through the LangChain VectorStore API', () => {
  const passages = [
    chunkDocument('Sparse attention for long documents', { paperId: 'p1', chunk: 0 }),
    chunkDocument('Attention heads track syntax in long documents', { paperId: 'p1', chunk: 1 }),
    chunkDocument('Graph neural networks for link prediction', { paperId: 'p2', chunk: 0 }),
    chunkDocument('Attention over graph neighbourhoods for long documents', { paperId: 'p3', chunk: 0 }),
  ];

  async function filledStore(): Promise<HnswVectorStore> {
    const embeddings = new HashingEmbeddings();
    const store = new HnswVectorStore(embeddings, { dimensions: embeddings.dimensions });
    expect(await store.addDocuments(passages)).toEqual(['0', '1', '2', '3']);
    return store;
  }

  it('embeds and stores documents with addDocuments, then finds them with similaritySearch', async () => {
    const store = await filledStore();
    expect(store.size).toBe(4);
    const [best] = await store.similaritySearch('graph neural networks link prediction', 1);
    expect(best?.metadata).toEqual({ paperId: 'p2', chunk: 0 });
  });

  it('applies a filter passed to similaritySearch to every candidate', async () => {
    const store = await filledStore();
    const hits = await store.similaritySearch(
      'attention long documents',
      4,
      (document) => document.metadata.paperId !== 'p1',
    );
    expect(hits.map((hit) => hit.metadata.paperId).sort()).toEqual(['p2', 'p3']);
  });

  it('serves a LangChain retriever', async () => {
    const store = await filledStore();
    const documents = await store.asRetriever({ k: 2 }).invoke('attention heads syntax');
    expect(documents).toHaveLength(2);
    expect(documents[0]?.metadata).toEqual({ paperId: 'p1', chunk: 1 });
  });
});
