/**
 * Schema of the embedded database, applied in order by `openDatabase`. Never edit a migration
 * that has shipped: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: papers, the source of truth for the corpus (bundled and ingested).
  `CREATE TABLE papers (
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
   CREATE INDEX papers_daily_date ON papers(daily_date);`,
  // 2: digests, one row per (destination, day), for exactly-once posting.
  `CREATE TABLE digests (
     destination_id TEXT NOT NULL,
     digest_date TEXT NOT NULL,
     idempotency_key TEXT NOT NULL UNIQUE,
     status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'empty', 'failed')),
     owner TEXT,
     claimed_at TEXT,
     sent_at TEXT,
     paper_ids TEXT NOT NULL DEFAULT '[]',
     attempts INTEGER NOT NULL DEFAULT 0,
     last_error TEXT,
     PRIMARY KEY (destination_id, digest_date)
   );`,
  // 3: feedback on answers (thumbs up/down from chat).
  `CREATE TABLE feedback (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     platform TEXT NOT NULL,
     user_id TEXT NOT NULL,
     rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
     question TEXT NOT NULL,
     paper_ids TEXT NOT NULL DEFAULT '[]',
     message_ref TEXT,
     created_at TEXT NOT NULL
   );`,
  // 4: digest subscriptions made from chat (/subscribe), beside those in the config file.
  `CREATE TABLE subscriptions (
     destination_id TEXT PRIMARY KEY,
     platform TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     cron TEXT NOT NULL,
     time_zone TEXT NOT NULL,
     topic TEXT,
     item_limit INTEGER,
     created_by TEXT,
     created_at TEXT NOT NULL
   );`,
  // 5: the Daily-Papers day a digest covered, so a day is posted to a destination only once.
  `ALTER TABLE digests ADD COLUMN covers_date TEXT;
   CREATE INDEX digests_covers ON digests(destination_id, covers_date);`,
  // 6: spaced gates (src/coordination/spaced-gate.ts): when each named gate was last passed.
  `CREATE TABLE spaced_gate_passes (
     name TEXT PRIMARY KEY,
     passed_at_ms INTEGER NOT NULL
   );`,
  // 7: the Slack workspace (team) of a subscription, so uninstall can drop a workspace's destinations.
  `ALTER TABLE subscriptions ADD COLUMN team_id TEXT;
   CREATE INDEX subscriptions_team ON subscriptions(team_id);`,
  // 8: Slack installations (OAuth, many workspaces) and claims on incoming events (de-duplication).
  `CREATE TABLE IF NOT EXISTS installations (
     installation_key TEXT PRIMARY KEY,
     team_id TEXT,
     enterprise_id TEXT,
     is_enterprise_install INTEGER NOT NULL,
     data TEXT NOT NULL,
     installed_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE IF NOT EXISTS event_claims (claim_key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
   CREATE INDEX IF NOT EXISTS event_claims_expiry ON event_claims(expires_at);`,
];
