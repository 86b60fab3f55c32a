import { PaperbotError } from '../errors.ts';
import type { SqliteDatabase } from './database.ts';

/** Which installation of the chat app: one workspace (team), or an organisation-wide install. */
export interface InstallationKey {
  /** Workspace id (Slack `T…`); required unless `isEnterpriseInstall`. */
  teamId?: string;
  /** Organisation id (Slack `E…`); required when `isEnterpriseInstall`. */
  enterpriseId?: string;
  /** True for an install on a whole organisation (Enterprise Grid), keyed by `enterpriseId`. */
  isEnterpriseInstall: boolean;
}

/** One stored installation. */
export interface InstallationRecord extends InstallationKey {
  /**
   * The platform's installation object as JSON text, stored and returned as is. It holds the
   * workspace's tokens: a secret, never to be logged or shown.
   */
  data: string;
  /** When the app was first installed there (ISO 8601); set by the repository. */
  installedAt?: string;
  /** When the record was last written (ISO 8601, e.g. a token refresh); set by the repository. */
  updatedAt?: string;
}

/**
 * The installations of the Slack app in many workspaces (OAuth), whichever engine stores them:
 * SQLite (`SqliteInstallationRepository`) or PostgreSQL (`PostgresInstallationRepository`). One
 * contract suite (`tests/storage/installation-repository.contract.ts`) runs against both.
 */
export interface InstallationRepository {
  /**
   * Stores an installation, replacing the one with the same key (a re-install or a token refresh
   * from any replica): an upsert that keeps the first `installedAt`. Throws `INSTALLATION_INVALID`
   * when the key lacks its id.
   */
  save(record: InstallationRecord, now?: Date): Promise<void>;
  /** The installation with this key, or undefined. */
  find(key: InstallationKey): Promise<InstallationRecord | undefined>;
  /** Removes the installation with this key; resolves to how many were removed (0 or 1). */
  remove(key: InstallationKey): Promise<number>;
  /** Keys of every stored installation, ordered by key. */
  list(): Promise<InstallationKey[]>;
}

/** The primary key of an installation: `enterprise:E…` for an organisation install, else `team:T…`. */
export function installationKey(key: InstallationKey): string {
  if (key.isEnterpriseInstall) {
    if (!key.enterpriseId)
      throw new PaperbotError(
        'INSTALLATION_INVALID',
        'An organisation-wide installation needs its enterprise id; got none. This is a bug in the caller.',
      );
    return `enterprise:${key.enterpriseId}`;
  }
  if (!key.teamId)
    throw new PaperbotError(
      'INSTALLATION_INVALID',
      'A workspace installation needs its team id; got none. This is a bug in the caller.',
    );
  return `team:${key.teamId}`;
}

/** The row every backend stores. */
export interface InstallationRow {
  team_id: string | null;
  enterprise_id: string | null;
  is_enterprise_install: number | boolean;
  data: string;
  installed_at: string;
  updated_at: string;
}

/** A stored row as a record. */
export function recordFromRow(row: InstallationRow): InstallationRecord {
  return {
    teamId: row.team_id ?? undefined,
    enterpriseId: row.enterprise_id ?? undefined,
    isEnterpriseInstall: Boolean(row.is_enterprise_install),
    data: row.data,
    installedAt: row.installed_at,
    updatedAt: row.updated_at,
  };
}

/** Installations in the embedded SQLite database (`installations` table). */
export class SqliteInstallationRepository implements InstallationRepository {
  /** `database` may be a function that opens it on first use (the runtime's lazy `paperbot.db`). */
  constructor(private readonly open: SqliteDatabase | (() => SqliteDatabase)) {}

  private get database(): SqliteDatabase {
    return typeof this.open === 'function' ? this.open() : this.open;
  }

  async save(record: InstallationRecord, now = new Date()): Promise<void> {
    const at = now.toISOString();
    this.database
      .prepare(
        `INSERT INTO installations (installation_key, team_id, enterprise_id, is_enterprise_install, data, installed_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (installation_key) DO UPDATE SET team_id = excluded.team_id,
           enterprise_id = excluded.enterprise_id, is_enterprise_install = excluded.is_enterprise_install,
           data = excluded.data, updated_at = excluded.updated_at`,
      )
      .run(
        installationKey(record),
        record.teamId ?? null,
        record.enterpriseId ?? null,
        record.isEnterpriseInstall ? 1 : 0,
        record.data,
        at,
        at,
      );
  }

  async find(key: InstallationKey): Promise<InstallationRecord | undefined> {
    const row = this.database
      .prepare<[string], InstallationRow>('SELECT * FROM installations WHERE installation_key = ?')
      .get(installationKey(key));
    return row ? recordFromRow(row) : undefined;
  }

  async remove(key: InstallationKey): Promise<number> {
    return this.database
      .prepare('DELETE FROM installations WHERE installation_key = ?')
      .run(installationKey(key)).changes;
  }

  async list(): Promise<InstallationKey[]> {
    return this.database
      .prepare<[], InstallationRow>('SELECT * FROM installations ORDER BY installation_key')
      .all()
      .map((row) => {
        const { data: _data, installedAt: _installed, updatedAt: _updated, ...key } = recordFromRow(row);
        return key;
      });
  }
}
