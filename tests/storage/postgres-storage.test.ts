import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresPool } from '../../src/postgres/connection.ts';
import { PostgresEventDedupRepository } from '../../src/postgres/event-dedup-repository.ts';
import { PostgresInstallationRepository } from '../../src/postgres/installation-repository.ts';
import { migratePostgres, POSTGRES_MIGRATIONS, schemaVersion } from '../../src/postgres/migrations.ts';
import { PostgresPaperRepository } from '../../src/postgres/paper-repository.ts';
import { PgVectorStore } from '../../src/postgres/pg-vector-store.ts';
import { withWriterLock, writerLockFree } from '../../src/postgres/writer-lock.ts';
import { HashingEmbeddings } from '../fakes/hashing-embeddings.ts';
import { describePostgres } from '../helpers/postgres.ts';
import { eventDedupContract } from './event-dedup.contract.ts';
import { installationRepositoryContract } from './installation-repository.contract.ts';
import { paperRepositoryContract } from './paper-repository.contract.ts';
import { vectorStoreContract } from './vector-store.contract.ts';

describePostgres('PostgreSQL storage', (databaseUrl) => {
  let pool: PostgresPool;
  beforeAll(async () => {
    pool = await openPostgres(databaseUrl());
  });
  afterAll(async () => pool.end());

  const reset = async () => {
    await pool.query('DROP TABLE IF EXISTS passages');
    await pool.query('TRUNCATE papers');
    await pool.query('DELETE FROM paperbot_settings');
  };

  describe('papers', () => {
    paperRepositoryContract(async () => {
      await reset();
      return { repository: new PostgresPaperRepository(pool), close: async () => undefined };
    });
  });

  describe('Slack installations', () => {
    installationRepositoryContract(async () => {
      await pool.query('TRUNCATE installations');
      return { repository: new PostgresInstallationRepository(pool), close: async () => undefined };
    });
  });

  describe('event claims', () => {
    let second: PostgresPool | undefined;
    eventDedupContract(async () => {
      await pool.query('TRUNCATE event_claims');
      // A second pool stands for another replica on the same database.
      second = await openPostgres(databaseUrl(), { migrate: false });
      return {
        repositories: [new PostgresEventDedupRepository(pool), new PostgresEventDedupRepository(second)],
        close: async () => {
          await second?.end();
        },
      };
    });
  });

  describe('pgvector passages', () => {
    vectorStoreContract(async (dimensions) => {
      await reset();
      const store = await PgVectorStore.open(pool, new HashingEmbeddings(dimensions));
      return {
        store,
        addPapers: async (ids) => {
          await new PostgresPaperRepository(pool).upsert(ids.map((id) => ({ id, title: id, abstract: id })));
        },
        close: async () => undefined,
      };
    });
  });

  it('applies migrations once, also when several processes start together', async () => {
    const others = await Promise.all([1, 2, 3].map(() => openPostgres(databaseUrl(), { migrate: false })));
    try {
      const applied = await Promise.all(others.map((other) => migratePostgres(other)));
      expect(applied.flat()).toEqual([]);
      expect(await schemaVersion(pool)).toBe(POSTGRES_MIGRATIONS.length);
    } finally {
      await Promise.all(others.map((other) => other.end()));
    }
  });

  it('creates a typed vector column with an HNSW cosine index, and refuses another model', async () => {
    await reset();
    await PgVectorStore.open(pool, new HashingEmbeddings(16));
    const column = await pool.query(
      "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'passages'::regclass AND attname = 'embedding'",
    );
    expect(column.rows[0]?.type).toBe('vector(16)');
    const index = await pool.query(
      "SELECT indexdef FROM pg_indexes WHERE tablename = 'passages' AND indexdef LIKE '%hnsw%'",
    );
    expect(index.rows[0]?.indexdef).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    await expect(
      PgVectorStore.open(pool, new HashingEmbeddings(16, 'test:other-model')),
    ).rejects.toMatchObject({
      code: 'INDEX_MISMATCH',
    });
    await expect(PgVectorStore.open(pool, new HashingEmbeddings(32))).rejects.toMatchObject({
      code: 'INDEX_MISMATCH',
    });
  });

  it('returns every row asked for while the HNSW index is in use (ef_search raised to k)', async () => {
    await reset();
    await PgVectorStore.open(pool, new HashingEmbeddings(8));
    // Bulk load, then let open() build the HNSW index once (faster than 5000 indexed inserts).
    await pool.query('DROP INDEX passages_embedding_hnsw');
    await pool.query('SELECT setseed(0.42)');
    await pool.query(
      `INSERT INTO papers (id, title, abstract, data, content_hash, first_seen_at, updated_at)
       SELECT 'p' || g, 't', 'a', '{}', '', '', '' FROM generate_series(1, 5000) AS g`,
    );
    await pool.query(
      `INSERT INTO passages (paper_id, chunk, content, embedding)
       SELECT 'p' || g, 0, 'x', ARRAY[random() - 0.5, random() - 0.5, random() - 0.5, random() - 0.5,
         random() - 0.5, random() - 0.5, random() - 0.5, random() - 0.5 + g * 0]::vector
       FROM generate_series(1, 5000) AS g`,
    );
    const store = await PgVectorStore.open(pool, new HashingEmbeddings(8));
    await pool.query('ANALYZE passages');
    const plan = await pool.query(
      "EXPLAIN SELECT paper_id FROM passages ORDER BY embedding <=> '[1,0,0,0,0,0,0,0]' LIMIT 150",
    );
    expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(
      /Index Scan using passages_embedding_hnsw/,
    );
    expect(await store.similaritySearchVectorWithScore([1, 0, 0, 0, 0, 0, 0, 0], 150)).toHaveLength(150);
  });

  it('lets one index writer at a time work, across connection pools, and frees the lock on failure', async () => {
    const other = await openPostgres(databaseUrl(), { migrate: false });
    try {
      const events: string[] = [];
      let releaseFirst: () => void = () => undefined;
      const firstHolds = new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      let firstStarted: () => void = () => undefined;
      const started = new Promise<void>((resolve) => {
        firstStarted = resolve;
      });
      const first = withWriterLock(pool, async () => {
        events.push('first start');
        firstStarted();
        await firstHolds;
        events.push('first end');
      });
      await started;
      expect(await writerLockFree(other)).toBe(false);
      const second = withWriterLock(other, async () => {
        events.push('second start');
      });
      // Without the lock the second writer's work would run before the first ends.
      releaseFirst();
      await Promise.all([first, second]);
      expect(events).toEqual(['first start', 'first end', 'second start']);
      await expect(withWriterLock(pool, async () => Promise.reject(new Error('boom')))).rejects.toThrow(
        'boom',
      );
      expect(await writerLockFree(other)).toBe(true);
    } finally {
      await other.end();
    }
  });

  it('names the URL without its password when the server cannot be reached', async () => {
    await expect(openPostgres('postgres://someone:secret@127.0.0.1:1/none')).rejects.toMatchObject({
      code: 'DATABASE_UNREACHABLE',
      message: expect.not.stringContaining('secret'),
    });
  });
});
