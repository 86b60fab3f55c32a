import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../adapters/slack/slack-adapter.ts';
import { silentLogger } from '../../src/logger.ts';
import type { DigestDestination } from '../../src/trending/types.ts';
import { FakeBot } from '../fakes/fake-bot.ts';
import { FakeSlack } from '../fakes/fake-slack.ts';

const destination: DigestDestination = {
  id: 'slack:C777',
  platform: 'slack',
  channelId: 'C777',
  cron: '0 9 * * 1-5',
  timeZone: 'Europe/Berlin',
};

let slack: FakeSlack | undefined;

afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

describe('SlackDigestSender', () => {
  it('posts the digest with its idempotency key in metadata, and wasDelivered finds it', async () => {
    slack = await new FakeSlack().listen();
    // The sender needs no start(): the digest engine may post from a process without listeners.
    const { digestSender } = createSlackAdapter({
      bot: new FakeBot(),
      config: { botToken: 'xoxb-test', signingSecret: 'secret', apiUrl: slack.apiUrl },
      logger: silentLogger(),
      rateLimits: { userPerMinute: 10, channelPerMinute: 30 },
      webApiRetries: 0,
    });
    expect(digestSender.platform).toBe('slack');
    const digest = await new FakeBot().trendingDigest({ date: '2026-07-13' });
    slack.seedMessage({ channel: 'C777', text: 'chatter', user: 'U111' });

    expect(await digestSender.wasDelivered(destination, 'slack:C777:2026-07-13')).toBe(false);
    await digestSender.send(destination, digest, 'slack:C777:2026-07-13');
    slack.seedMessage({ channel: 'C777', text: 'later chatter', user: 'U111' });

    const post = slack.callsOf('chat.postMessage')[0]!;
    expect(post.args).toMatchObject({
      channel: 'C777',
      metadata: { event_type: 'paperbot_digest', event_payload: { key: 'slack:C777:2026-07-13' } },
    });
    expect(JSON.stringify(post.args.blocks)).toContain('Layer by Layer');
    expect(await digestSender.wasDelivered(destination, 'slack:C777:2026-07-13')).toBe(true);
    expect(await digestSender.wasDelivered(destination, 'slack:C777:2026-07-14')).toBe(false);
    const history = slack.callsOf('conversations.history').at(-1)!;
    expect(history.args).toMatchObject({ channel: 'C777', include_all_metadata: 'true' });
  });
});
