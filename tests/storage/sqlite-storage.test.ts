import { describe } from 'vitest';
import { HnswVectorStore } from '../../src/retrieval/hnsw-vector-store.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { SqlitePaperRepository } from '../../src/storage/paper-repository.ts';
import { HashingEmbeddings } from '../fakes/hashing-embeddings.ts';
import { paperRepositoryContract } from './paper-repository.contract.ts';
import { vectorStoreContract } from './vector-store.contract.ts';

describe('embedded storage: SQLite papers', () => {
  paperRepositoryContract(async () => {
    const database = openDatabase(':memory:');
    return {
      repository: new SqlitePaperRepository(database),
      close: async () => {
        database.close();
      },
    };
  });
});

describe('embedded storage: hnswlib vectors', () => {
  vectorStoreContract(async (dimensions) => ({
    store: new HnswVectorStore(new HashingEmbeddings(dimensions), { dimensions }),
    addPapers: async () => undefined,
    close: async () => undefined,
  }));
});
