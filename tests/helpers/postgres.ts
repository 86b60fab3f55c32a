import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';

/** The server the Postgres suites use: `DATABASE_URL` (`scripts/postgres-dev.sh start` prints one). */
export const POSTGRES_URL = process.env.DATABASE_URL;

/**
 * A describe block that runs against the PostgreSQL server at `DATABASE_URL`, each in a fresh
 * throwaway database (created before, dropped after). Without `DATABASE_URL` it is skipped with
 * a notice on stderr; in CI (`CI=true`) a missing `DATABASE_URL` is a failing test, never a skip.
 */
export function describePostgres(name: string, body: (databaseUrl: () => string) => void): void {
  if (!POSTGRES_URL) {
    if (process.env.CI === 'true') {
      describe(name, () => {
        it('has a PostgreSQL server (DATABASE_URL) in CI', () => {
          throw new Error(
            'CI=true but DATABASE_URL is not set: .ci/run must start scripts/postgres-dev.sh and export DATABASE_URL',
          );
        });
      });
      return;
    }
    process.stderr.write(
      `[postgres] SKIPPED "${name}": DATABASE_URL is not set (scripts/postgres-dev.sh start prints one)\n`,
    );
  }
  describe.skipIf(!POSTGRES_URL)(name, () => {
    let url = '';
    let databaseName = '';
    beforeAll(async () => {
      databaseName = `paperbot_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin(async (client) => client.query(`CREATE DATABASE ${databaseName}`));
      const parsed = new URL(POSTGRES_URL as string);
      parsed.pathname = `/${databaseName}`;
      url = parsed.toString();
    });
    afterAll(async () => {
      if (databaseName)
        await admin(async (client) => client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`));
    });
    body(() => url);
  });
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
