import { describe, expect, it } from 'vitest';
import { parseSubscribe, type SubscribeRequest } from '../../src/trending/subscriptions.ts';

const request = (fields: Partial<SubscribeRequest> = {}): SubscribeRequest => ({
  platform: 'slack',
  channelId: 'C1',
  teamId: 'T1',
  userId: 'U1',
  ...fields,
});

describe('parseSubscribe (the /subscribe options of every platform)', () => {
  it('defaults to weekdays 09:00 UTC, keyed by platform and channel', () => {
    expect(
      parseSubscribe(request({ platform: 'discord', channelId: '1', teamId: null, userId: '2' })),
    ).toEqual({
      destinationId: 'discord:1',
      platform: 'discord',
      channelId: '1',
      cron: '0 9 * * 1-5',
      timeZone: 'UTC',
      createdBy: '2',
    });
  });

  it('keeps the workspace, topic, hour, zone and limit', () => {
    expect(
      parseSubscribe(
        request({ topic: ' reinforcement learning ', hour: 7, timeZone: 'Europe/Berlin', limit: 3 }),
      ),
    ).toEqual({
      destinationId: 'slack:C1',
      platform: 'slack',
      channelId: 'C1',
      teamId: 'T1',
      cron: '0 7 * * 1-5',
      timeZone: 'Europe/Berlin',
      topic: 'reinforcement learning',
      limit: 3,
      createdBy: 'U1',
    });
    expect(parseSubscribe(request({ cron: '30 8 * * *' }))).toMatchObject({ cron: '30 8 * * *' });
  });

  it.each([
    [{ hour: 7, cron: '0 9 * * *' }, 'either `hour:` or `cron:`'],
    [{ hour: 24 }, '`hour:` must be a whole hour from 0 to 23 (got 24)'],
    [{ cron: 'every morning' }, '`cron:` "every morning" is not a valid cron expression'],
    [{ timeZone: 'Mars/Olympus' }, '`time_zone:` "Mars/Olympus" is not an IANA time zone'],
    [{ limit: 0 }, '`limit:` must be from 1 to 50 (got 0)'],
    [{ topic: 'x'.repeat(201) }, '`topic:` is too long (201 characters, at most 200)'],
  ])('refuses %o, saying what to fix', (fields, message) => {
    const parsed = parseSubscribe(request(fields));
    expect(parsed).toEqual({ problem: expect.stringContaining(message) });
  });
});
