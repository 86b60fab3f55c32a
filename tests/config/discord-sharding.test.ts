import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';

const TOKEN = { DISCORD_TOKEN: 'token' };

/** The CONFIG_INVALID message for an environment, or a failure when it parses. */
function problemOf(environment: Record<string, string>): string {
  try {
    loadConfig(environment);
  } catch (error) {
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(environment)} to be refused`);
}

describe('DISCORD_SHARDS and DISCORD_SHARD_COUNT', () => {
  it('leave sharding to discord.js (one shard) when both are unset or blank', () => {
    expect(loadConfig(TOKEN).discord?.shards).toBeUndefined();
    expect(
      loadConfig({ ...TOKEN, DISCORD_SHARDS: ' ', DISCORD_SHARD_COUNT: '' }).discord?.shards,
    ).toBeUndefined();
  });

  it('reads a list and ranges of shard ids out of a total count', () => {
    expect(loadConfig({ ...TOKEN, DISCORD_SHARDS: '0,1', DISCORD_SHARD_COUNT: '2' }).discord?.shards).toEqual(
      {
        ids: [0, 1],
        count: 2,
      },
    );
    expect(
      loadConfig({ ...TOKEN, DISCORD_SHARDS: ' 2-4, 7 ', DISCORD_SHARD_COUNT: '8' }).discord?.shards,
    ).toEqual({ ids: [2, 3, 4, 7], count: 8 });
  });

  it('reads auto (every recommended shard in this process) without a count', () => {
    expect(loadConfig({ ...TOKEN, DISCORD_SHARDS: 'auto' }).discord?.shards).toBe('auto');
  });

  it('refuses one without the other, saying which is missing', () => {
    expect(problemOf({ ...TOKEN, DISCORD_SHARDS: '0,1' })).toContain(
      'DISCORD_SHARDS=0,1 needs DISCORD_SHARD_COUNT',
    );
    expect(problemOf({ ...TOKEN, DISCORD_SHARD_COUNT: '2' })).toContain(
      'DISCORD_SHARD_COUNT=2 needs DISCORD_SHARDS',
    );
  });

  it('refuses shard ids at or above the count, naming them and the range', () => {
    const message = problemOf({ ...TOKEN, DISCORD_SHARDS: '1,2,3', DISCORD_SHARD_COUNT: '2' });
    expect(message).toContain(
      'shard ids must be below DISCORD_SHARD_COUNT=2 (ids run from 0 to 1); 2, 3 are not',
    );
    expect(message).toContain('See .env.example');
  });

  it('refuses malformed ids, duplicates, backwards ranges, bad counts and auto with a count', () => {
    expect(problemOf({ ...TOKEN, DISCORD_SHARDS: '0,one', DISCORD_SHARD_COUNT: '2' })).toContain(
      '"one" is not a shard id or range',
    );
    expect(problemOf({ ...TOKEN, DISCORD_SHARDS: '0,0-1', DISCORD_SHARD_COUNT: '2' })).toContain(
      'shard 0 is listed twice',
    );
    expect(problemOf({ ...TOKEN, DISCORD_SHARDS: '3-1', DISCORD_SHARD_COUNT: '4' })).toContain(
      'range "3-1" runs backwards',
    );
    expect(problemOf({ ...TOKEN, DISCORD_SHARDS: '0', DISCORD_SHARD_COUNT: '0' })).toContain(
      'DISCORD_SHARD_COUNT=0: must be between 1 and',
    );
    expect(problemOf({ ...TOKEN, DISCORD_SHARDS: '0', DISCORD_SHARD_COUNT: '2.5' })).toContain(
      'DISCORD_SHARD_COUNT="2.5": must be a whole number',
    );
    expect(problemOf({ ...TOKEN, DISCORD_SHARDS: 'auto', DISCORD_SHARD_COUNT: '2' })).toContain(
      'auto takes the count from Discord',
    );
  });

  it('refuses shard settings without DISCORD_TOKEN, listed with the other problems', () => {
    const message = problemOf({ DISCORD_SHARDS: '0', DISCORD_SHARD_COUNT: '1', SLACK_BOT_TOKEN: 'x' });
    expect(message).toContain('DISCORD_SHARDS/DISCORD_SHARD_COUNT are set but DISCORD_TOKEN is not');
    expect(message).toContain('SLACK_BOT_TOKEN is set');
  });
});
