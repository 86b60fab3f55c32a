import type pg from 'pg';
import {
  SUBSCRIPTION_COLUMNS,
  type SubscriptionRow,
  subscriptionOfRow,
  subscriptionValues,
} from '../trending/sqlite-subscriptions.ts';
import type {
  Subscription,
  SubscriptionPlatform,
  SubscriptionRepository,
} from '../trending/subscriptions.ts';

/** `/subscribe` rows in PostgreSQL: the same table and rules as `SqliteSubscriptionRepository`. */
export class PostgresSubscriptionRepository implements SubscriptionRepository {
  constructor(private readonly pool: pg.Pool) {}

  async save(subscription: Subscription, now = new Date()): Promise<void> {
    await this.pool.query(
      `INSERT INTO subscriptions (${SUBSCRIPTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (destination_id) DO UPDATE SET
         platform = EXCLUDED.platform, channel_id = EXCLUDED.channel_id, team_id = EXCLUDED.team_id,
         cron = EXCLUDED.cron, time_zone = EXCLUDED.time_zone, topic = EXCLUDED.topic,
         item_limit = EXCLUDED.item_limit, created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at`,
      subscriptionValues(subscription, now),
    );
  }

  async remove(destinationId: string): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM subscriptions WHERE destination_id = $1', [
      destinationId,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  async removeForTeam(teamId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ destination_id: string }>(
      'DELETE FROM subscriptions WHERE team_id = $1 RETURNING destination_id',
      [teamId],
    );
    return rows.map((row) => row.destination_id).sort();
  }

  async list(): Promise<Subscription[]> {
    const { rows } = await this.pool.query<SubscriptionRow>(
      'SELECT * FROM subscriptions ORDER BY destination_id COLLATE "C"',
    );
    return rows.map(subscriptionOfRow);
  }

  async listForChannel(platform: SubscriptionPlatform, channelId: string): Promise<Subscription[]> {
    const { rows } = await this.pool.query<SubscriptionRow>(
      'SELECT * FROM subscriptions WHERE platform = $1 AND channel_id = $2 ORDER BY destination_id COLLATE "C"',
      [platform, channelId],
    );
    return rows.map(subscriptionOfRow);
  }
}
