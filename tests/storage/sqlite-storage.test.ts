import { describe } from 'vitest';
import { HnswVectorStore } from '../../src/retrieval/hnsw-vector-store.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { SqliteEventDedupRepository } from '../../src/storage/event-dedup-repository.ts';
import { SqliteInstallationRepository } from '../../src/storage/installation-repository.ts';
import { SqlitePaperRepository } from '../../src/storage/paper-repository.ts';
import { HashingEmbeddings } from '../fakes/hashing-embeddings.ts';
import { inMemorySqlite } from './contract-setup.ts';
import { eventDedupContract } from './event-dedup.contract.ts';
import { installationRepositoryContract } from './installation-repository.contract.ts';
import { paperRepositoryContract } from './paper-repository.contract.ts';
import { vectorStoreContract } from './vector-store.contract.ts';

describe('embedded storage: SQLite papers', () => {
  paperRepositoryContract(inMemorySqlite((database) => new SqlitePaperRepository(database)));
});

describe('embedded storage: hnswlib vectors', () => {
  vectorStoreContract(async (dimensions) => ({
    store: new HnswVectorStore(new HashingEmbeddings(dimensions), { dimensions }),
    addPapers: async () => undefined,
    close: async () => undefined,
  }));
});

describe('embedded storage: SQLite Slack installations', () => {
  installationRepositoryContract(inMemorySqlite((database) => new SqliteInstallationRepository(database)));
});

describe('embedded storage: SQLite event claims', () => {
  eventDedupContract(async () => {
    const database = openDatabase(':memory:');
    // Two repositories on one database: what two adapters of one process share.
    return {
      repositories: [
        new SqliteEventDedupRepository(database),
        new SqliteEventDedupRepository(() => database),
      ],
      close: async () => {
        database.close();
      },
    };
  });
});
