import { type Client, Events, version } from 'discord.js';
import { describeError } from '../../src/errors.ts';
import type { Logger } from '../../src/logger.ts';

/**
 * The discord.js version whose private `client.ws.handlePacket` this guard was checked against.
 * discord.js offers no public hook around its dispatch handling (`Events.Raw` fires before it and
 * cannot catch what it throws), so the guard wraps that private method; a test fails when the
 * installed version differs. See README, "Upgrading discord.js".
 */
export const GUARD_VERIFIED_DISCORD_JS = '14.28.1';

/** Event name a dropped dispatch is renamed to, so discord.js finds no handler for it. */
export const DROPPED_EVENT = 'PAPERBOT_DROPPED';

/** A gateway dispatch as discord.js hands it to `raw` listeners (mutable, before it is handled). */
export interface RawPacket {
  t?: string | null;
  s?: number | null;
  d?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Repairs or rejects a dispatch before discord.js handles it. Fills fields discord.js 14.28
 * dereferences without checking (READY `application`, INTERACTION_CREATE `entitlements` and
 * `authorizing_integration_owners`) and returns a reason when the event is unusable and must be
 * dropped (no payload, an interaction without `member.user` or `user`, a message without `author`).
 */
export function sanitizePacket(packet: RawPacket, fallbackApplicationId?: string): string | undefined {
  if (!packet.t) return undefined;
  const data = packet.d;
  if (!isObject(data)) return 'payload is not an object';
  switch (packet.t) {
    case 'READY': {
      if (!isObject(data.user) || typeof data.user.id !== 'string') return 'READY without user';
      if (!Array.isArray(data.guilds)) data.guilds = [];
      if (!isObject(data.application) || typeof data.application.id !== 'string') {
        data.application = { id: fallbackApplicationId ?? data.user.id, flags: 0 };
      }
      return undefined;
    }
    case 'INTERACTION_CREATE': {
      if (typeof data.id !== 'string' || typeof data.token !== 'string')
        return 'interaction without id or token';
      const member = data.member;
      const hasUser = isObject(data.user) || (isObject(member) && isObject(member.user));
      if (!hasUser) return 'interaction without member.user or user';
      if (!Array.isArray(data.entitlements)) data.entitlements = [];
      if (!isObject(data.authorizing_integration_owners)) data.authorizing_integration_owners = {};
      return undefined;
    }
    case 'MESSAGE_CREATE':
      return isObject(data.author) && typeof data.channel_id === 'string'
        ? undefined
        : 'message without author';
    default:
      return undefined;
  }
}

/**
 * Keeps malformed gateway events from killing the process. Two layers:
 * 1. a `raw` listener (called synchronously before discord.js handles a dispatch) repairs packets
 *    or renames unusable ones to `DROPPED_EVENT`;
 * 2. discord.js's dispatch step is wrapped so anything else its handlers throw is logged and the
 *    event dropped, instead of surfacing as an unhandled rejection from the websocket.
 */
export function installGatewayGuard(client: Client, logger: Logger, fallbackApplicationId?: string): void {
  client.on(Events.Raw, (packet: RawPacket) => {
    try {
      const problem = sanitizePacket(packet, fallbackApplicationId);
      if (problem) {
        logger.warn({ event: packet.t, sequence: packet.s, problem }, 'malformed gateway event dropped');
        packet.t = DROPPED_EVENT;
      }
    } catch (error) {
      logger.warn({ event: packet?.t, error: describeError(error) }, 'malformed gateway event dropped');
      if (packet && typeof packet === 'object') packet.t = DROPPED_EVENT;
    }
  });
  // handlePacket is private in the typings; it is the single step every dispatch goes through.
  const manager = client.ws as unknown as { handlePacket?(packet?: RawPacket, shard?: unknown): boolean };
  if (typeof manager.handlePacket !== 'function') {
    throw new Error(
      `discord.js ${version} has no client.ws.handlePacket, which the gateway guard wraps (checked with ` +
        `${GUARD_VERIFIED_DISCORD_JS}). See README, "Upgrading discord.js".`,
    );
  }
  const handle = manager.handlePacket.bind(manager);
  manager.handlePacket = (packet, shard) => {
    try {
      return handle(packet, shard);
    } catch (error) {
      logger.warn(
        { event: packet?.t, sequence: packet?.s, error: describeError(error) },
        'gateway event failed in discord.js; dropped',
      );
      return true;
    }
  };
}
