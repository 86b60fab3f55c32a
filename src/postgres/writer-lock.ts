import type pg from 'pg';

/** Advisory lock key of the index writer (one per database). */
export const WRITER_LOCK_KEY = 7_315_003;

/**
 * Runs `work` as the database's only index writer: holds a session advisory lock on one client
 * checked out of the pool for the whole run (a dedicated connection, so it needs session
 * pooling, not PgBouncer transaction pooling). A second writer, on this machine or another,
 * waits; if the holder dies its connection closes and the lock passes on.
 */
export async function withWriterLock<T>(pool: pg.Pool, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let healthy = true;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [WRITER_LOCK_KEY]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [WRITER_LOCK_KEY]).catch(() => {
        healthy = false;
      });
    }
  } catch (error) {
    healthy = false;
    throw error;
  } finally {
    // A client whose session may still hold the lock is destroyed, never returned to the pool.
    client.release(!healthy);
  }
}

/** True when no writer holds the lock right now (it is taken and released at once). */
export async function writerLockFree(pool: pg.Pool): Promise<boolean> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      WRITER_LOCK_KEY,
    ]);
    if (rows[0]?.locked) await client.query('SELECT pg_advisory_unlock($1)', [WRITER_LOCK_KEY]);
    return rows[0]?.locked === true;
  } finally {
    client.release();
  }
}
