import type pg from 'pg';

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
  // 2: per-user and per-channel rate-limit buckets shared by the serve replicas (PostgresRateLimiter).
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
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
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
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Highest applied migration version (0 when none). */
export async function schemaVersion(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ version: number | null }>(
    'SELECT MAX(version) AS version FROM schema_migrations',
  );
  return rows[0]?.version ?? 0;
}
