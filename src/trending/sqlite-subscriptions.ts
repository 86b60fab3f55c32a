import type { SqliteDatabase } from '../storage/database.ts';
import type { Subscription, SubscriptionPlatform, SubscriptionRepository } from './subscriptions.ts';

/** A row of the `subscriptions` table (SQLite and PostgreSQL have the same columns). */
export interface SubscriptionRow {
  destination_id: string;
  platform: string;
  channel_id: string;
  team_id: string | null;
  cron: string;
  time_zone: string;
  topic: string | null;
  item_limit: number | null;
  created_by: string | null;
  created_at: string;
}

/** A stored row as a `Subscription` (the platform is checked when it becomes a digest destination). */
export function subscriptionOfRow(row: SubscriptionRow): Subscription {
  return {
    destinationId: row.destination_id,
    platform: row.platform as SubscriptionPlatform,
    channelId: row.channel_id,
    ...(row.team_id ? { teamId: row.team_id } : {}),
    cron: row.cron,
    timeZone: row.time_zone,
    ...(row.topic ? { topic: row.topic } : {}),
    ...(row.item_limit !== null && row.item_limit !== undefined ? { limit: Number(row.item_limit) } : {}),
    ...(row.created_by ? { createdBy: row.created_by } : {}),
    createdAt: row.created_at,
  };
}

/** The column values of a subscription, in `SUBSCRIPTION_COLUMNS` order. */
export function subscriptionValues(subscription: Subscription, now: Date): (string | number | null)[] {
  return [
    subscription.destinationId,
    subscription.platform,
    subscription.channelId,
    subscription.teamId ?? null,
    subscription.cron,
    subscription.timeZone,
    subscription.topic ?? null,
    subscription.limit ?? null,
    subscription.createdBy ?? null,
    now.toISOString(),
  ];
}

export const SUBSCRIPTION_COLUMNS =
  'destination_id, platform, channel_id, team_id, cron, time_zone, topic, item_limit, created_by, created_at';

/** `/subscribe` rows in the embedded database (`subscriptions` table of `paperbot.db`). */
export class SqliteSubscriptionRepository implements SubscriptionRepository {
  constructor(private readonly database: SqliteDatabase) {}

  async save(subscription: Subscription, now = new Date()): Promise<void> {
    this.database
      .prepare(
        `INSERT OR REPLACE INTO subscriptions (${SUBSCRIPTION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...subscriptionValues(subscription, now));
  }

  async remove(destinationId: string): Promise<boolean> {
    return (
      this.database.prepare('DELETE FROM subscriptions WHERE destination_id = ?').run(destinationId).changes >
      0
    );
  }

  async removeForTeam(teamId: string): Promise<string[]> {
    return this.database
      .prepare<[string], { destination_id: string }>(
        'DELETE FROM subscriptions WHERE team_id = ? RETURNING destination_id',
      )
      .all(teamId)
      .map((row) => row.destination_id)
      .sort();
  }

  async list(): Promise<Subscription[]> {
    return this.database
      .prepare<[], SubscriptionRow>('SELECT * FROM subscriptions ORDER BY destination_id')
      .all()
      .map(subscriptionOfRow);
  }

  async listForChannel(platform: SubscriptionPlatform, channelId: string): Promise<Subscription[]> {
    return this.database
      .prepare<[string, string], SubscriptionRow>(
        'SELECT * FROM subscriptions WHERE platform = ? AND channel_id = ? ORDER BY destination_id',
      )
      .all(platform, channelId)
      .map(subscriptionOfRow);
  }
}
