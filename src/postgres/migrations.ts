import type pg from 'pg';
import { inTransaction } from './transaction.ts';

/**
 * Schema of the PostgreSQL store, applied in order (version = position + 1) by `migratePostgres`
 * on start and by `paperbot db migrate`. Never edit a migration that has shipped: append one.
 * The passages table is not here: its `vector(dimensions)` column depends on the embedding
 * model, so `PgVectorStore.ensureTable` creates it.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: pgvector, papers (the source of truth, as in SQLite) and store-wide settings.
  `CREATE EXTENSION IF NOT EXISTS vector;
   CREATE TABLE papers (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     abstract TEXT NOT NULL,
     data TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     daily_date TEXT,
     upvotes INTEGER,
     source TEXT,
     first_seen_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX papers_daily_date ON papers (daily_date);
   CREATE TABLE paperbot_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // 2: spaced gates (src/postgres/spaced-gate.ts): when each named gate was last passed, by the server's clock.
  `CREATE TABLE spaced_gate_passes (name TEXT PRIMARY KEY, passed_at TIMESTAMPTZ NOT NULL);`,
  // 3: digest subscriptions made from chat (/subscribe) and feedback on answers, as in SQLite.
  `CREATE TABLE subscriptions (
     destination_id TEXT PRIMARY KEY,
     platform TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     team_id TEXT,
     cron TEXT NOT NULL,
     time_zone TEXT NOT NULL,
     topic TEXT,
     item_limit INTEGER,
     created_by TEXT,
     created_at TEXT NOT NULL
   );
   CREATE INDEX subscriptions_team ON subscriptions (team_id);
   CREATE TABLE feedback (
     id BIGSERIAL PRIMARY KEY,
     platform TEXT NOT NULL,
     user_id TEXT NOT NULL,
     rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
     question TEXT NOT NULL,
     paper_ids TEXT NOT NULL DEFAULT '[]',
     message_ref TEXT,
     created_at TEXT NOT NULL
   );
   CREATE UNIQUE INDEX feedback_one_per_user_message ON feedback (platform, user_id, message_ref)
     WHERE message_ref IS NOT NULL;`,
  // 4: Slack installations (OAuth, many workspaces) and claims on incoming events (de-duplication).
  // Expiry is epoch milliseconds (BIGINT), never a timestamp that goes through a JS Date.
  `CREATE TABLE IF NOT EXISTS installations (
     installation_key TEXT PRIMARY KEY,
     team_id TEXT,
     enterprise_id TEXT,
     is_enterprise_install BOOLEAN NOT NULL,
     data TEXT NOT NULL,
     installed_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE IF NOT EXISTS event_claims (claim_key TEXT PRIMARY KEY, expires_at BIGINT NOT NULL);
   CREATE INDEX IF NOT EXISTS event_claims_expiry ON event_claims (expires_at);`,
  // 5: the digest ledger, one row per (destination, run day), for exactly-once posting across
  // replicas. Claim times keep microseconds: compare-and-swap reads them back as text, never as a
  // JS Date (see src/postgres/digest-ledger.ts).
  `CREATE TABLE digests (
     destination_id TEXT NOT NULL,
     digest_date TEXT NOT NULL,
     idempotency_key TEXT NOT NULL UNIQUE,
     status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'empty', 'failed')),
     owner TEXT,
     claimed_at TIMESTAMPTZ,
     sent_at TIMESTAMPTZ,
     paper_ids JSONB NOT NULL DEFAULT '[]',
     covers_date TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     last_error TEXT,
     PRIMARY KEY (destination_id, digest_date)
   );
   CREATE INDEX digests_covers ON digests (destination_id, covers_date);`,
  // 6: per-user and per-channel rate-limit buckets shared by the serve replicas (PostgresRateLimiter).
  `CREATE TABLE rate_limit_buckets (
     key TEXT PRIMARY KEY,
     tokens DOUBLE PRECISION NOT NULL,
     updated_ms BIGINT NOT NULL
   );`,
];

/** Key of the transaction advisory lock that serialises concurrent migrators. */
const MIGRATION_LOCK = 7_315_001;

/**
 * Applies pending migrations in one transaction under an advisory lock, so several processes
 * starting at once apply each exactly once. Returns the versions it applied.
 */
export async function migratePostgres(pool: pg.Pool): Promise<number[]> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((row) => row.version));
    const applied: number[] = [];
    for (const [position, sql] of POSTGRES_MIGRATIONS.entries()) {
      const version = position + 1;
      if (done.has(version)) continue;
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
        version,
        new Date().toISOString(),
      ]);
      applied.push(version);
    }
    return applied;
  });
}

/** Highest applied migration version (0 when none). */
export async function schemaVersion(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ version: number | null }>(
    'SELECT MAX(version) AS version FROM schema_migrations',
  );
  return rows[0]?.version ?? 0;
}
