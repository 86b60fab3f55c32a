import type pg from 'pg';
import {
  type ClaimResult,
  claimOutcome,
  DEFAULT_STALE_AFTER_MS,
  type DigestLedger,
  type DigestLedgerOptions,
  type DigestRow,
  digestKey,
  digestRecordOf,
  ledgerFailure,
} from '../trending/digest-ledger.ts';

type Row = DigestRow & { paper_ids: string[] };

/** A timestamptz as ISO 8601 text in UTC with its microseconds (never through a JS Date). */
const isoText = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ${column}`;

const COLUMNS = `destination_id, digest_date, idempotency_key, status, owner, ${isoText('claimed_at')},
  ${isoText('sent_at')}, paper_ids, attempts, last_error, covers_date`;

/**
 * The digest ledger in PostgreSQL (`digests`, migration 2), shared by every replica on
 * `DATABASE_URL`. A claim is one `INSERT … ON CONFLICT DO NOTHING RETURNING`: of any number of
 * concurrent claimers on any number of pools exactly one gets the row. A take-over is a
 * compare-and-swap on the owner and the exact claim time, which is read and compared as text so
 * microseconds written by another writer (or `now()`) are not lost in a JS Date.
 */
export function createPostgresDigestLedger(pool: pg.Pool, options: DigestLedgerOptions): DigestLedger {
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const nowIso = () => new Date(options.clock.now()).toISOString();

  const get = async (destinationId: string, digestDate: string) => {
    const { rows } = await pool.query<Row>(
      `SELECT ${COLUMNS} FROM digests WHERE destination_id = $1 AND digest_date = $2`,
      [destinationId, digestDate],
    );
    return rows[0] ? digestRecordOf(rows[0]) : undefined;
  };

  const insert = async (
    values: { destinationId: string; digestDate: string; owner: string; paperIds: readonly string[] },
    status: 'sending' | 'empty',
    coversDate: string | undefined,
  ) =>
    pool.query<Row>(
      `INSERT INTO digests (destination_id, digest_date, idempotency_key, status, owner, claimed_at, paper_ids,
         attempts, covers_date)
       VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::jsonb, $8, $9)
       ON CONFLICT DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        values.destinationId,
        values.digestDate,
        digestKey(values.destinationId, values.digestDate),
        status,
        values.owner,
        nowIso(),
        JSON.stringify(values.paperIds),
        status === 'sending' ? 1 : 0,
        coversDate ?? null,
      ],
    );

  return {
    keyFor: digestKey,
    get,
    async hasHistory(destinationId) {
      const { rowCount } = await pool.query('SELECT 1 FROM digests WHERE destination_id = $1 LIMIT 1', [
        destinationId,
      ]);
      return (rowCount ?? 0) > 0;
    },
    async claim(request): Promise<ClaimResult> {
      try {
        const inserted = await insert(request, 'sending', request.coversDate);
        if (inserted.rows[0]) return { outcome: 'claimed', record: digestRecordOf(inserted.rows[0]) };
        // Someone else's row (committed: ON CONFLICT waited for its transaction).
        const existing = await get(request.destinationId, request.digestDate);
        if (!existing) throw new Error('the row that blocked the claim is gone');
        return claimOutcome(existing, request.owner, options.clock.now(), staleAfterMs);
      } catch (error) {
        throw ledgerFailure(`claim digest ${request.destinationId} ${request.digestDate}`, error);
      }
    },
    async takeOver(record, request) {
      const { rowCount } = await pool.query(
        `UPDATE digests SET status = 'sending', owner = $1, claimed_at = $2::timestamptz, paper_ids = $3::jsonb,
           covers_date = $4, attempts = attempts + 1, last_error = NULL
         WHERE destination_id = $5 AND digest_date = $6 AND status IN ('sending', 'failed')
           AND owner IS NOT DISTINCT FROM $7 AND claimed_at IS NOT DISTINCT FROM $8::timestamptz`,
        [
          request.owner,
          nowIso(),
          JSON.stringify(request.paperIds),
          request.coversDate ?? null,
          record.destinationId,
          record.digestDate,
          record.owner ?? null,
          record.claimedAt ?? null,
        ],
      );
      return rowCount === 1;
    },
    async markSent(destinationId, digestDate) {
      await pool.query(
        `UPDATE digests SET status = 'sent', sent_at = $1::timestamptz, last_error = NULL
         WHERE destination_id = $2 AND digest_date = $3 AND status IN ('sending', 'failed')`,
        [nowIso(), destinationId, digestDate],
      );
    },
    async markFailed(destinationId, digestDate, owner, error) {
      await pool.query(
        `UPDATE digests SET status = 'failed', last_error = $1
         WHERE destination_id = $2 AND digest_date = $3 AND status = 'sending' AND owner = $4`,
        [error.slice(0, 1000), destinationId, digestDate, owner],
      );
    },
    async recordEmpty(destinationId, digestDate, owner) {
      const inserted = await insert({ destinationId, digestDate, owner, paperIds: [] }, 'empty', undefined);
      return inserted.rows.length === 1;
    },
    async hasCovered(destinationId, coversDate, exceptDate) {
      const { rowCount } = await pool.query(
        `SELECT 1 FROM digests WHERE destination_id = $1 AND covers_date = $2 AND digest_date <> $3
           AND status IN ('sending', 'sent', 'failed') LIMIT 1`,
        [destinationId, coversDate, exceptDate],
      );
      return (rowCount ?? 0) > 0;
    },
    async postedPaperIds(destinationId, sinceDate, exceptDate = '') {
      const { rows } = await pool.query<{ id: string }>(
        `SELECT DISTINCT jsonb_array_elements_text(paper_ids) AS id FROM digests
         WHERE destination_id = $1 AND digest_date >= $2 AND digest_date <> $3
           AND status IN ('sending', 'sent', 'failed')`,
        [destinationId, sinceDate, exceptDate],
      );
      return new Set(rows.map((row) => row.id));
    },
  };
}
