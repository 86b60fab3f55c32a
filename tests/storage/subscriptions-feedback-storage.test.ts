import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteFeedbackRepository } from '../../src/feedback/feedback-repository.ts';
import { silentLogger } from '../../src/logger.ts';
import { openPostgres, type PostgresPool } from '../../src/postgres/connection.ts';
import { PostgresFeedbackRepository } from '../../src/postgres/feedback-repository.ts';
import { PostgresSubscriptionRepository } from '../../src/postgres/subscription-repository.ts';
import { createStores } from '../../src/runtime/stores.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { MIGRATIONS } from '../../src/storage/migrations.ts';
import { createDigestRunner } from '../../src/trending/digest-runner.ts';
import { SqliteSubscriptionRepository } from '../../src/trending/sqlite-subscriptions.ts';
import { createTrendingService } from '../../src/trending/trending-service.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { RecordingDigestSender } from '../fakes/recording-digest-sender.ts';
import { describePostgres } from '../helpers/postgres.ts';
import {
  berlinSlackSubscription,
  dayOfPapers,
  insertPapers,
  tempDatabase,
} from '../trending/trending-fixtures.ts';
import { inMemorySqlite } from './contract-setup.ts';
import { feedbackRepositoryContract } from './feedback-repository.contract.ts';
import { subscriptionRepositoryContract } from './subscription-repository.contract.ts';

describe('embedded storage: SQLite subscriptions', () => {
  subscriptionRepositoryContract(inMemorySqlite((database) => new SqliteSubscriptionRepository(database)));
});

describe('embedded storage: SQLite feedback', () => {
  feedbackRepositoryContract(inMemorySqlite((database) => new SqliteFeedbackRepository(database)));
});

describe('embedded storage: a database from before team ids', () => {
  it('keeps its subscriptions and feedback readable after the migration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperbot-subscriptions-'));
    try {
      const path = join(dir, 'paperbot.db');
      // The schema as it shipped before migration 6, with rows the old adapters wrote.
      const old = new Database(path);
      for (const sql of MIGRATIONS.slice(0, 5)) old.exec(sql);
      old.pragma('user_version = 5');
      old
        .prepare(
          `INSERT INTO subscriptions (destination_id, platform, channel_id, cron, time_zone, topic, item_limit, created_by, created_at)
           VALUES ('discord:42', 'discord', '42', '0 9 * * 1-5', 'Europe/Berlin', 'robotics', 4, 'U7', '2026-01-01T00:00:00.000Z')`,
        )
        .run();
      old
        .prepare(
          `INSERT INTO feedback (platform, user_id, rating, question, paper_ids, message_ref, created_at)
           VALUES ('slack', 'U1', -1, 'why?', '["2401.00001"]', 'C1:1.2', '2026-01-01T00:00:00.000Z')`,
        )
        .run();
      old.close();

      const database = openDatabase(path);
      try {
        expect(database.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
        expect(await new SqliteSubscriptionRepository(database).list()).toEqual([
          {
            destinationId: 'discord:42',
            platform: 'discord',
            channelId: '42',
            cron: '0 9 * * 1-5',
            timeZone: 'Europe/Berlin',
            topic: 'robotics',
            limit: 4,
            createdBy: 'U7',
            createdAt: '2026-01-01T00:00:00.000Z',
          },
        ]);
        const feedback = new SqliteFeedbackRepository(database);
        expect(await feedback.list()).toEqual([
          {
            platform: 'slack',
            userId: 'U1',
            rating: -1,
            question: 'why?',
            paperIds: ['2401.00001'],
            messageRef: 'C1:1.2',
            createdAt: '2026-01-01T00:00:00.000Z',
          },
        ]);
        // The old row is found and replaced, not duplicated, by a new click of the same user.
        await feedback.record({
          platform: 'slack',
          userId: 'U1',
          rating: 1,
          question: 'why?',
          paperIds: [],
          messageRef: 'C1:1.2',
        });
        expect(await feedback.summary()).toEqual({ up: 1, down: 0 });
      } finally {
        database.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the SQLite repositories through Stores, on the database the runtime opens', async () => {
    const database = openDatabase(':memory:');
    try {
      const stores = createStores({ kind: 'sqlite', database: () => database });
      await stores.subscriptions.save({
        destinationId: 'slack:C1',
        platform: 'slack',
        channelId: 'C1',
        cron: '0 9 * * *',
        timeZone: 'UTC',
      });
      expect(stores.subscriptions).toBeInstanceOf(SqliteSubscriptionRepository);
      expect(stores.feedback).toBeInstanceOf(SqliteFeedbackRepository);
      expect(database.prepare('SELECT destination_id FROM subscriptions').all()).toEqual([
        { destination_id: 'slack:C1' },
      ]);
    } finally {
      database.close();
    }
  });
});

describePostgres('PostgreSQL subscriptions and feedback', (databaseUrl) => {
  let pool: PostgresPool;
  beforeAll(async () => {
    pool = await openPostgres(databaseUrl());
  });
  afterAll(async () => pool.end());

  describe('subscriptions', () => {
    subscriptionRepositoryContract(async () => {
      await pool.query('TRUNCATE subscriptions');
      return { repository: new PostgresSubscriptionRepository(pool), close: async () => undefined };
    });
  });

  describe('feedback', () => {
    feedbackRepositoryContract(async () => {
      await pool.query('TRUNCATE feedback RESTART IDENTITY');
      return { repository: new PostgresFeedbackRepository(pool), close: async () => undefined };
    });
  });

  it('keeps one rating when two replicas record the same user’s clicks at once', async () => {
    await pool.query('TRUNCATE feedback RESTART IDENTITY');
    const other = await openPostgres(databaseUrl(), { migrate: false, max: 8 });
    try {
      const repositories = [new PostgresFeedbackRepository(pool), new PostgresFeedbackRepository(other)];
      await Promise.all(
        Array.from({ length: 16 }, (_, index) =>
          repositories[index % 2]!.record({
            platform: 'slack',
            userId: 'U1',
            rating: index % 2 === 0 ? 1 : -1,
            question: 'q',
            paperIds: [],
            messageRef: 'C1:1.2',
          }),
        ),
      );
      const { rows } = await pool.query('SELECT COUNT(*)::int AS n FROM feedback');
      expect(rows[0]).toEqual({ n: 1 });
    } finally {
      await other.end();
    }
  });

  it('feeds the digest runner: a subscription saved in PostgreSQL while it runs gets its digest', async () => {
    await pool.query('TRUNCATE subscriptions');
    const store = tempDatabase();
    try {
      insertPapers(store.database, dayOfPapers('2026-06-01', 3));
      const clock = new ManualClock('2026-06-02T06:00:00Z');
      const slack = new RecordingDigestSender('slack');
      const subscriptions = new PostgresSubscriptionRepository(pool);
      const runner = createDigestRunner({
        database: store.database,
        subscriptions,
        trending: createTrendingService({ database: store.database, clock }),
        senders: [slack],
        logger: silentLogger(),
        clock,
        timer: clock,
      });
      runner.start();
      await clock.advanceTo('2026-06-02T06:10:00Z');
      await subscriptions.save(berlinSlackSubscription('C7', 'T7'));
      await clock.advanceTo('2026-06-02T08:00:00Z');
      await runner.stop();
      expect(slack.sends().map((call) => call.destinationId)).toEqual(['slack:C7']);
    } finally {
      store.cleanup();
    }
  });

  it('gives the PostgreSQL repositories through Stores', () => {
    const stores = createStores({ kind: 'postgres', pool });
    expect(stores.backend).toBe('postgres');
    expect(stores.subscriptions).toBeInstanceOf(PostgresSubscriptionRepository);
    expect(stores.feedback).toBeInstanceOf(PostgresFeedbackRepository);
  });
});
