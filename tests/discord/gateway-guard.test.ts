import { Client, version } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { GUARD_VERIFIED_DISCORD_JS, installGatewayGuard } from '../../adapters/discord/gateway-guard.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';

// The guard wraps discord.js's private `client.ws.handlePacket`. These tests fail loudly when a
// discord.js upgrade moves or renames it: re-check the guard, then follow README "Upgrading discord.js".
type PrivateManager = { handlePacket(packet?: unknown, shard?: unknown): boolean };

/** GUILD_CREATE is handled even before READY; a null payload makes discord.js's handler throw. */
const brokenGuildCreate = { t: 'GUILD_CREATE', s: 7, d: null };

describe('gateway guard against the installed discord.js', () => {
  it('was checked against the installed discord.js version', () => {
    expect(
      version,
      `discord.js is ${version}, the gateway guard was checked with ${GUARD_VERIFIED_DISCORD_JS}: re-check ` +
        'adapters/discord/gateway-guard.ts, then bump GUARD_VERIFIED_DISCORD_JS',
    ).toBe(GUARD_VERIFIED_DISCORD_JS);
  });

  it('finds handlePacket as the dispatch step that throws on a broken packet', () => {
    const manager = new Client({ intents: [] }).ws as unknown as PrivateManager;
    expect(typeof manager.handlePacket).toBe('function');
    expect(() => manager.handlePacket(brokenGuildCreate)).toThrow(TypeError);
  });

  it('contains what discord.js throws for a dispatch, and logs it', () => {
    const client = new Client({ intents: [] });
    const log = recordingLogger();
    installGatewayGuard(client, log.logger);
    const manager = client.ws as unknown as PrivateManager;
    expect(manager.handlePacket(brokenGuildCreate)).toBe(true);
    expect(log.warnings()).toEqual([
      expect.objectContaining({
        msg: 'gateway event failed in discord.js; dropped',
        event: 'GUILD_CREATE',
        sequence: 7,
      }),
    ]);
  });

  it('refuses to start, naming the upgrade note, when handlePacket is gone', () => {
    const client = new Client({ intents: [] });
    Object.defineProperty(client.ws, 'handlePacket', { value: undefined });
    expect(() => installGatewayGuard(client, recordingLogger().logger)).toThrow(/Upgrading discord\.js/);
  });
});
