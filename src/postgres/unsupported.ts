import { PaperbotError } from '../errors.ts';

/** The error for a part of paperbot that does not run on PostgreSQL yet, when `DATABASE_URL` is set. */
export function postgresUnsupported(what: string): PaperbotError {
  return new PaperbotError(
    'STORAGE_UNSUPPORTED',
    `With DATABASE_URL set, ${what} does not run on PostgreSQL yet (see README, Running with Postgres). ` +
      'Unset DATABASE_URL to use the embedded store for it.',
  );
}
