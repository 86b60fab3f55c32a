import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import { openPostgres, type PostgresPool } from '../../src/postgres/connection.ts';
import { createPostgresDigestLedger } from '../../src/postgres/digest-ledger.ts';
import { PostgresPaperRepository } from '../../src/postgres/paper-repository.ts';
import { createPostgresTrendingPapers } from '../../src/postgres/trending-papers.ts';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.ts';
import { SqlitePaperRepository } from '../../src/storage/paper-repository.ts';
import { createDigestLedger } from '../../src/trending/digest-ledger.ts';
import { createDigestScheduler } from '../../src/trending/digest-scheduler.ts';
import { createTrendingPapers } from '../../src/trending/trending-papers.ts';
import { createTrendingService } from '../../src/trending/trending-service.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { RecordingDigestSender } from '../fakes/recording-digest-sender.ts';
import { describePostgres } from '../helpers/postgres.ts';
import { dayOfPapers } from '../trending/trending-fixtures.ts';
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

  it('posts once when two replicas (two pools) tick at the same instant', async () => {
    await pool.query('TRUNCATE digests');
    await pool.query('TRUNCATE papers CASCADE');
    await new PostgresPaperRepository(pool).upsert(dayOfPapers('2026-06-01', 4));
    const clock = new ManualClock('2026-06-02T07:00:00Z');
    const sender = new RecordingDigestSender('discord', () => clock.now());
    const replicas = await Promise.all([1, 2].map(() => openPostgres(databaseUrl(), { migrate: false })));
    try {
      const schedulers = replicas.map((replica) =>
        createDigestScheduler({
          trending: createTrendingService({ papers: createPostgresTrendingPapers(replica), clock }),
          ledger: createPostgresDigestLedger(replica, { clock }),
          destinations: () => [
            { id: 'discord:1', platform: 'discord', channelId: '1', cron: '0 7 * * *', timeZone: 'UTC' },
          ],
          senders: [sender],
          clock,
          timer: clock,
          logger: silentLogger(),
        }),
      );
      const reports = (await Promise.all(schedulers.map((scheduler) => scheduler.tick()))).flat();
      // The other saw the claim in flight (busy), already recorded (done), or posted but not yet
      // recorded, which the platform confirms (recovered): by timing, never a second post.
      const outcomes = reports.map((report) => report.outcome);
      expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(1);
      expect(
        outcomes.filter((outcome) => outcome === 'busy' || outcome === 'done' || outcome === 'recovered'),
      ).toHaveLength(1);
      expect(sender.delivered).toHaveLength(1);
      expect(sender.delivered[0]!.digest.items.map((item) => item.paperId)).toHaveLength(4);
      expect((await schedulers[1]!.tick()).concat(await schedulers[0]!.tick())).toEqual([]);
      expect(sender.delivered).toHaveLength(1);
    } finally {
      await Promise.all(replicas.map((replica) => replica.end()));
    }
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
