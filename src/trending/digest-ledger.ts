import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { PaperbotError } from '../errors.ts';
import type { SqliteDatabase } from '../storage/database.ts';

export type DigestStatus = 'sending' | 'sent' | 'empty' | 'failed';

/** One row of the `digests` table: a (destination, run day) digest and where it stands. */
export interface DigestRecord {
  destinationId: string;
  /** The local day of the scheduled run, `YYYY-MM-DD` (in the destination's time zone). */
  digestDate: string;
  /** Travels with the message (Discord nonce, Slack metadata); 25 characters. */
  idempotencyKey: string;
  status: DigestStatus;
  /** The process that claimed the row (see `createOwnerId`). */
  owner?: string;
  /** ISO 8601 time of the claim. */
  claimedAt?: string;
  /** ISO 8601 time delivery was recorded. */
  sentAt?: string;
  /** Papers in the digest, recorded at claim time (before sending). */
  paperIds: string[];
  /** The Daily-Papers day the digest covers, when it has papers. */
  coversDate?: string;
  /** Number of claims (first send plus take-overs). */
  attempts: number;
  lastError?: string;
}

/** What `claim` found. */
export type ClaimResult =
  /** The row is ours and `sending`: send now, then `markSent`. */
  | { outcome: 'claimed'; record: DigestRecord }
  /** Already `sent` or `empty`: nothing to do. */
  | { outcome: 'done'; record: DigestRecord }
  /**
   * Someone (maybe a crashed process, maybe a live one) claimed it and did not record delivery.
   * Ask `sender.wasDelivered` first; when it says no, `takeOver` only if `stale`.
   */
  | { outcome: 'in-doubt'; record: DigestRecord; stale: boolean };

/**
 * The exactly-once gate of digests: one row per (destination, run day), claimed before anything is
 * sent and marked after. Async, so it can live in SQLite (`createDigestLedger`) or in PostgreSQL
 * (`src/postgres/digest-ledger.ts`); both pass `tests/storage/digest-ledger.contract.ts`.
 */
export interface DigestLedger {
  /** The idempotency key of a (destination, day) digest: stable, 25 characters (Discord's nonce limit). */
  keyFor(destinationId: string, digestDate: string): string;
  /** The row of (destination, run day), or undefined when none was written. */
  get(destinationId: string, digestDate: string): Promise<DigestRecord | undefined>;
  /** True when the destination has any recorded digest (used to decide on catch-up runs). */
  hasHistory(destinationId: string): Promise<boolean>;
  /**
   * Claims (destination, day) atomically, before anything is sent. Two processes on one database
   * (one file, or one PostgreSQL server from any number of machines) never both get `claimed`.
   */
  claim(request: ClaimRequest): Promise<ClaimResult>;
  /**
   * Takes over an in-doubt row (compare-and-swap on its owner and exact claim time): true when it
   * is now ours and `sending` again. Call only after `wasDelivered` answered no.
   */
  takeOver(
    record: DigestRecord,
    request: Pick<ClaimRequest, 'owner' | 'paperIds' | 'coversDate'>,
  ): Promise<boolean>;
  /** Records delivery (from `sending` or `failed`). */
  markSent(destinationId: string, digestDate: string): Promise<void>;
  /** Records a failed send; the row stays in doubt until `wasDelivered` says otherwise. */
  markFailed(destinationId: string, digestDate: string, owner: string, error: string): Promise<void>;
  /** Records that nothing was posted (empty day, no note). False when a row already existed. */
  recordEmpty(destinationId: string, digestDate: string, owner: string): Promise<boolean>;
  /** True when a digest on another run day claimed or sent the Daily-Papers day `coversDate`. */
  hasCovered(destinationId: string, coversDate: string, exceptDate: string): Promise<boolean>;
  /** Papers claimed or sent to the destination on run days from `sinceDate` on, except on `exceptDate`. */
  postedPaperIds(destinationId: string, sinceDate: string, exceptDate?: string): Promise<Set<string>>;
}

export interface ClaimRequest {
  destinationId: string;
  /** Local day of the scheduled run, `YYYY-MM-DD`. */
  digestDate: string;
  paperIds: readonly string[];
  /** The Daily-Papers day covered (absent for an empty-day note). */
  coversDate?: string;
  /** This process's id. */
  owner: string;
}

export interface DigestLedgerOptions {
  clock: Clock;
  /** A `sending` claim older than this may be taken over after `wasDelivered` says no (default 10 min). */
  staleAfterMs?: number;
}

/** Default age after which a `sending` claim by another process is presumed dead. */
export const DEFAULT_STALE_AFTER_MS = 10 * 60_000;

/** A `digests` row as either backend reads it (`paper_ids` JSON text in SQLite, an array in PostgreSQL). */
export interface DigestRow {
  destination_id: string;
  digest_date: string;
  idempotency_key: string;
  status: DigestStatus;
  owner: string | null;
  claimed_at: string | null;
  sent_at: string | null;
  paper_ids: string | string[];
  attempts: number;
  last_error: string | null;
  covers_date: string | null;
}

/** The record of a `digests` row, the same for both backends. */
export function digestRecordOf(row: DigestRow): DigestRecord {
  return {
    destinationId: row.destination_id,
    digestDate: row.digest_date,
    idempotencyKey: row.idempotency_key,
    status: row.status,
    ...(row.owner ? { owner: row.owner } : {}),
    ...(row.claimed_at ? { claimedAt: row.claimed_at } : {}),
    ...(row.sent_at ? { sentAt: row.sent_at } : {}),
    paperIds: typeof row.paper_ids === 'string' ? (JSON.parse(row.paper_ids) as string[]) : row.paper_ids,
    attempts: row.attempts,
    ...(row.last_error ? { lastError: row.last_error } : {}),
    ...(row.covers_date ? { coversDate: row.covers_date } : {}),
  };
}

/** The idempotency key of a (destination, day) digest. */
export function digestKey(destinationId: string, digestDate: string): string {
  return `pb${createHash('sha256').update(`${destinationId}\n${digestDate}`).digest('hex').slice(0, 23)}`;
}

/**
 * Whether an in-doubt row may be taken over by `owner` (after `wasDelivered` says no): a failed
 * send, or our own unrecorded one, has no live sender to wait for; another's `sending` claim only
 * once it is `staleAfterMs` old.
 */
export function claimIsStale(
  record: DigestRecord,
  owner: string,
  now: number,
  staleAfterMs: number,
): boolean {
  const claimedAt = Date.parse(record.claimedAt ?? '');
  return (
    record.status === 'failed' ||
    record.owner === owner ||
    Number.isNaN(claimedAt) ||
    now - claimedAt >= staleAfterMs
  );
}

/** What `claim` makes of the row it found (or inserted). */
export function claimOutcome(
  existing: DigestRecord,
  owner: string,
  now: number,
  staleAfterMs: number,
): ClaimResult {
  if (existing.status === 'sent' || existing.status === 'empty') return { outcome: 'done', record: existing };
  return { outcome: 'in-doubt', record: existing, stale: claimIsStale(existing, owner, now, staleAfterMs) };
}

/** The error of a ledger write that did not happen (the database refused or went away). */
export function ledgerFailure(what: string, error: unknown): PaperbotError {
  if (error instanceof PaperbotError) return error;
  return new PaperbotError('DIGEST_LEDGER_FAILED', `Cannot ${what}: ${(error as Error).message}`, {
    cause: error,
  });
}

/** The digest ledger in the embedded SQLite database (the `digests` table of `paperbot.db`). */
export function createDigestLedger(database: SqliteDatabase, options: DigestLedgerOptions): DigestLedger {
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const nowIso = () => new Date(options.clock.now()).toISOString();
  const select = database.prepare<[string, string], DigestRow>(
    'SELECT * FROM digests WHERE destination_id = ? AND digest_date = ?',
  );
  const anyRow = database.prepare<[string], { found: number }>(
    'SELECT 1 AS found FROM digests WHERE destination_id = ? LIMIT 1',
  );
  const insert = database.prepare(
    `INSERT INTO digests (destination_id, digest_date, idempotency_key, status, owner, claimed_at, paper_ids, attempts, covers_date)
     VALUES (@destinationId, @digestDate, @key, @status, @owner, @claimedAt, @paperIds, @attempts, @coversDate)
     ON CONFLICT DO NOTHING`,
  );
  const takeOverRow = database.prepare(
    `UPDATE digests SET status = 'sending', owner = @owner, claimed_at = @claimedAt, paper_ids = @paperIds,
       covers_date = @coversDate, attempts = attempts + 1, last_error = NULL
     WHERE destination_id = @destinationId AND digest_date = @digestDate AND status IN ('sending', 'failed')
       AND owner IS @previousOwner AND claimed_at IS @previousClaimedAt`,
  );
  const sent = database.prepare(
    `UPDATE digests SET status = 'sent', sent_at = ?, last_error = NULL
     WHERE destination_id = ? AND digest_date = ? AND status IN ('sending', 'failed')`,
  );
  const failed = database.prepare(
    `UPDATE digests SET status = 'failed', last_error = ?
     WHERE destination_id = ? AND digest_date = ? AND status = 'sending' AND owner = ?`,
  );
  const covered = database.prepare<[string, string, string], { found: number }>(
    `SELECT 1 AS found FROM digests WHERE destination_id = ? AND covers_date = ? AND digest_date != ?
       AND status IN ('sending', 'sent', 'failed') LIMIT 1`,
  );
  const posted = database.prepare<[string, string, string], { paper_ids: string }>(
    `SELECT paper_ids FROM digests
     WHERE destination_id = ? AND digest_date >= ? AND digest_date != ? AND status IN ('sending', 'sent', 'failed')`,
  );

  const get = (destinationId: string, digestDate: string) => {
    const row = select.get(destinationId, digestDate);
    return row ? digestRecordOf(row) : undefined;
  };

  const claim = database.transaction((request: ClaimRequest): ClaimResult => {
    const existing = get(request.destinationId, request.digestDate);
    if (!existing) {
      insert.run({
        destinationId: request.destinationId,
        digestDate: request.digestDate,
        key: digestKey(request.destinationId, request.digestDate),
        status: 'sending',
        owner: request.owner,
        claimedAt: nowIso(),
        paperIds: JSON.stringify(request.paperIds),
        attempts: 1,
        coversDate: request.coversDate ?? null,
      });
      return { outcome: 'claimed', record: get(request.destinationId, request.digestDate)! };
    }
    return claimOutcome(existing, request.owner, options.clock.now(), staleAfterMs);
  });

  return {
    keyFor: digestKey,
    get: async (destinationId, digestDate) => get(destinationId, digestDate),
    hasHistory: async (destinationId) => anyRow.get(destinationId) !== undefined,
    async claim(request) {
      try {
        return claim.immediate(request);
      } catch (error) {
        throw ledgerFailure(`claim digest ${request.destinationId} ${request.digestDate}`, error);
      }
    },
    async takeOver(record, request) {
      const result = takeOverRow.run({
        owner: request.owner,
        claimedAt: nowIso(),
        paperIds: JSON.stringify(request.paperIds),
        coversDate: request.coversDate ?? null,
        destinationId: record.destinationId,
        digestDate: record.digestDate,
        previousOwner: record.owner ?? null,
        previousClaimedAt: record.claimedAt ?? null,
      });
      return result.changes === 1;
    },
    async markSent(destinationId, digestDate) {
      sent.run(nowIso(), destinationId, digestDate);
    },
    async markFailed(destinationId, digestDate, owner, error) {
      failed.run(error.slice(0, 1000), destinationId, digestDate, owner);
    },
    async recordEmpty(destinationId, digestDate, owner) {
      const result = insert.run({
        destinationId,
        digestDate,
        key: digestKey(destinationId, digestDate),
        status: 'empty',
        owner,
        claimedAt: nowIso(),
        paperIds: '[]',
        attempts: 0,
        coversDate: null,
      });
      return result.changes === 1;
    },
    hasCovered: async (destinationId, coversDate, exceptDate) =>
      covered.get(destinationId, coversDate, exceptDate) !== undefined,
    async postedPaperIds(destinationId, sinceDate, exceptDate = '') {
      const ids = new Set<string>();
      for (const row of posted.all(destinationId, sinceDate, exceptDate)) {
        for (const id of JSON.parse(row.paper_ids) as string[]) ids.add(id);
      }
      return ids;
    },
  };
}
