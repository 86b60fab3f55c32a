import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../src/errors.ts';
import { silentLogger } from '../../src/logger.ts';
import {
  mergeDestinations,
  parseDigestConfig,
  readDigestConfig,
  subscriptionDestinations,
} from '../../src/trending/destinations.ts';
import { createDigestRunner } from '../../src/trending/digest-runner.ts';
import { SqliteSubscriptionRepository } from '../../src/trending/sqlite-subscriptions.ts';
import { createTrendingService } from '../../src/trending/trending-service.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { RecordingDigestSender } from '../fakes/recording-digest-sender.ts';
import { berlinSlackSubscription, dayOfPapers, insertPapers, tempDatabase } from './trending-fixtures.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const berlin = {
  id: 'discord:123',
  platform: 'discord',
  channelId: '123',
  cron: '0 9 * * 1-5',
  timeZone: 'Europe/Berlin',
  topic: { keywords: ['retrieval'] },
  limit: 5,
};

describe('digest destinations', () => {
  it('parses a valid config', () => {
    expect(parseDigestConfig({ destinations: [berlin] })).toEqual([berlin]);
  });

  it('lists every problem with its path', () => {
    let caught: unknown;
    try {
      parseDigestConfig({
        destinations: [
          { ...berlin, cron: 'every morning', timeZone: 'Europe/Atlantis' },
          { ...berlin, platform: 'teams', limit: 0, topic: {} },
        ],
      });
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'DIGEST_CONFIG_INVALID')).toBe(true);
    const message = (caught as Error).message;
    for (const fragment of [
      'destinations.0.cron',
      'destinations.0.timeZone',
      'destinations.1.platform',
      'destinations.1.limit',
      'destinations.1.topic',
    ]) {
      expect(message).toContain(fragment);
    }
  });

  it('rejects two destinations with one id', () => {
    expect(() => parseDigestConfig({ destinations: [berlin, berlin] })).toThrow(
      'destinations.1.id: duplicate id',
    );
  });

  it('merges the config file with /subscribe rows, the file winning on the same id', async () => {
    const store = tempDatabase();
    cleanups.push(store.cleanup);
    const path = join(store.path, '..', 'digests.json');
    writeFileSync(path, JSON.stringify({ destinations: [berlin] }));
    const insert = store.database.prepare(
      `INSERT INTO subscriptions (destination_id, platform, channel_id, cron, time_zone, topic, item_limit, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00Z')`,
    );
    insert.run('discord:123', 'discord', '123', '0 8 * * *', 'UTC', null, null);
    insert.run('slack:C9', 'slack', 'C9', '30 8 * * 1-5', 'America/New_York', 'interpretability', 3);
    insert.run('slack:bad', 'slack', 'C0', 'not cron', 'UTC', null, null);

    const subscriptions = await new SqliteSubscriptionRepository(store.database).list();
    const destinations = mergeDestinations(readDigestConfig(path), subscriptionDestinations(subscriptions));
    expect(destinations).toEqual([
      berlin,
      {
        id: 'slack:C9',
        platform: 'slack',
        channelId: 'C9',
        cron: '30 8 * * 1-5',
        timeZone: 'America/New_York',
        topic: { query: 'interpretability' },
        limit: 3,
      },
    ]);
  });

  it('says which file is not JSON', () => {
    const store = tempDatabase();
    cleanups.push(store.cleanup);
    const path = join(store.path, '..', 'broken.json');
    writeFileSync(path, '{ destinations: ');
    expect(() => readDigestConfig(path)).toThrow(/broken\.json.*not JSON/);
  });
});

describe('createDigestRunner', () => {
  it('posts to config-file and /subscribe destinations through one scheduler', async () => {
    const store = tempDatabase();
    cleanups.push(store.cleanup);
    insertPapers(store.database, dayOfPapers('2026-06-01', 3));
    const path = join(store.path, '..', 'digests.json');
    writeFileSync(path, JSON.stringify({ destinations: [{ ...berlin, topic: undefined }] }));
    const clock = new ManualClock('2026-06-02T06:00:00Z');
    const discord = new RecordingDigestSender('discord');
    const slack = new RecordingDigestSender('slack');
    const subscriptions = new SqliteSubscriptionRepository(store.database);
    const runner = createDigestRunner({
      database: store.database,
      subscriptions,
      trending: createTrendingService({ database: store.database, clock }),
      senders: [discord, slack],
      digestConfigPath: path,
      logger: silentLogger(),
      clock,
      timer: clock,
    });
    runner.start();
    await subscriptions.save(berlinSlackSubscription('C1', 'T1'));
    await clock.advanceTo('2026-06-02T08:00:00Z');
    await runner.stop();
    expect(discord.sends().map((call) => call.destinationId)).toEqual(['discord:123']);
    expect(slack.sends().map((call) => call.destinationId)).toEqual(['slack:C1']);
  });
});
