import pg from 'pg';
import { PaperbotError } from '../errors.ts';
import { migratePostgres } from './migrations.ts';

export type PostgresPool = pg.Pool;

/** The URL with any password replaced, safe for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * Connects to `url`, checks the server answers and applies pending migrations (unless
 * `migrate: false`). Throws
 * DATABASE_UNREACHABLE naming the (redacted) URL and how to get a server.
 */
export async function openPostgres(
  url: string,
  options: { max?: number; migrate?: boolean } = {},
): Promise<PostgresPool> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 4 });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    if (options.migrate === false) await pool.query('SELECT 1');
    else await migratePostgres(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof PaperbotError) throw error;
    throw new PaperbotError(
      'DATABASE_UNREACHABLE',
      `Cannot use the PostgreSQL database at DATABASE_URL=${redactUrl(url)}: ${(error as Error).message}. ` +
        'Check that the server runs and has pgvector (scripts/postgres-dev.sh start gives a local one), or unset DATABASE_URL to use the embedded store.',
      { cause: error },
    );
  }
  return pool;
}
