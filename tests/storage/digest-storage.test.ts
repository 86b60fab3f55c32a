import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresPool } from '../../src/postgres/connection.ts';
import { createPostgresDigestLedger } from '../../src/postgres/digest-ledger.ts';
import { PostgresPaperRepository } from '../../src/postgres/paper-repository.ts';
import { createPostgresTrendingPapers } from '../../src/postgres/trending-papers.ts';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.ts';
import { SqlitePaperRepository } from '../../src/storage/paper-repository.ts';
import { createDigestLedger } from '../../src/trending/digest-ledger.ts';
import { createTrendingPapers } from '../../src/trending/trending-papers.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { describePostgres } from '../helpers/postgres.ts';
import { digestLedgerContract } from './digest-ledger.contract.ts';
import { trendingPapersContract } from './trending-papers.contract.ts';

describe('embedded storage: SQLite digest ledger (one file, two connections)', () => {
  digestLedgerContract(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperbot-ledger-'));
    const opened: SqliteDatabase[] = [];
    return {
      connect: async (clock, staleAfterMs) => {
        const database = openDatabase(join(dir, 'paperbot.db'));
        opened.push(database);
        return createDigestLedger(database, { clock, staleAfterMs });
      },
      close: async () => {
        for (const database of opened) database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});

describe('embedded storage: SQLite trending papers', () => {
  trendingPapersContract(async () => {
    const database = openDatabase(':memory:');
    const repository = new SqlitePaperRepository(database);
    return {
      papers: createTrendingPapers(database),
      add: async (papers) => {
        await repository.upsert(papers);
      },
      close: async () => {
        database.close();
      },
    };
  });
});

describePostgres('PostgreSQL digest ledger and trending papers', (databaseUrl) => {
  let pool: PostgresPool;
  beforeAll(async () => {
    pool = await openPostgres(databaseUrl());
  });
  afterAll(async () => pool.end());

  describe('digest ledger (two pools, as two replicas)', () => {
    digestLedgerContract(async () => {
      await pool.query('TRUNCATE digests');
      const pools: PostgresPool[] = [];
      return {
        connect: async (clock, staleAfterMs) => {
          const other = await openPostgres(databaseUrl(), { migrate: false });
          pools.push(other);
          return createPostgresDigestLedger(other, { clock, staleAfterMs });
        },
        close: async () => {
          await Promise.all(pools.map((other) => other.end()));
        },
      };
    });
  });

  describe('trending papers', () => {
    trendingPapersContract(async () => {
      await pool.query('TRUNCATE papers CASCADE');
      const repository = new PostgresPaperRepository(pool);
      return {
        papers: createPostgresTrendingPapers(pool),
        add: async (papers) => {
          await repository.upsert(papers);
        },
        close: async () => undefined,
      };
    });
  });

  it('takes over a claim whose time has microseconds (compare-and-swap on the exact time)', async () => {
    await pool.query('TRUNCATE digests');
    const clock = new ManualClock('2026-06-02T07:00:00Z');
    const ledger = createPostgresDigestLedger(pool, { clock, staleAfterMs: 600_000 });
    await ledger.claim({ destinationId: 'discord:1', digestDate: '2026-06-02', paperIds: [], owner: 'dead' });
    // Another writer (an older version, a manual fix, now()) stored the claim time to the microsecond.
    await pool.query(
      "UPDATE digests SET claimed_at = '2026-06-02T07:00:00.123456Z' WHERE destination_id = 'discord:1'",
    );
    await clock.advanceBy(601_000);
    const seen = await ledger.claim({
      destinationId: 'discord:1',
      digestDate: '2026-06-02',
      paperIds: [],
      owner: 'me',
    });
    expect(seen).toMatchObject({ outcome: 'in-doubt', stale: true });
    expect(seen.record.claimedAt).toBe('2026-06-02T07:00:00.123456Z');
    expect(await ledger.takeOver(seen.record, { owner: 'me', paperIds: ['p'] })).toBe(true);
    // Going through a JS Date drops the microseconds, and the compare-and-swap must then refuse.
    const now = await ledger.get('discord:1', '2026-06-02');
    expect(now).toMatchObject({ owner: 'me', attempts: 2 });
    await pool.query(
      "UPDATE digests SET claimed_at = '2026-06-02T07:10:00.000789Z', status = 'failed' WHERE destination_id = 'discord:1'",
    );
    const failed = (await ledger.get('discord:1', '2026-06-02'))!;
    const rounded = { ...failed, claimedAt: new Date(Date.parse(failed.claimedAt!)).toISOString() };
    expect(await ledger.takeOver(rounded, { owner: 'other', paperIds: [] })).toBe(false);
    expect(await ledger.takeOver(failed, { owner: 'other', paperIds: [] })).toBe(true);
  });
});
