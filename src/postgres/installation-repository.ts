import type pg from 'pg';
import {
  type InstallationKey,
  type InstallationRecord,
  type InstallationRepository,
  type InstallationRow,
  installationKey,
  recordFromRow,
} from '../storage/installation-repository.ts';

/** Installations in PostgreSQL (`installations` table): shared by every replica. */
export class PostgresInstallationRepository implements InstallationRepository {
  constructor(private readonly pool: pg.Pool) {}

  async save(record: InstallationRecord, now = new Date()): Promise<void> {
    const at = now.toISOString();
    await this.pool.query(
      `INSERT INTO installations (installation_key, team_id, enterprise_id, is_enterprise_install, data, installed_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (installation_key) DO UPDATE SET team_id = EXCLUDED.team_id,
         enterprise_id = EXCLUDED.enterprise_id, is_enterprise_install = EXCLUDED.is_enterprise_install,
         data = EXCLUDED.data, updated_at = EXCLUDED.updated_at`,
      [
        installationKey(record),
        record.teamId ?? null,
        record.enterpriseId ?? null,
        record.isEnterpriseInstall,
        record.data,
        at,
      ],
    );
  }

  async find(key: InstallationKey): Promise<InstallationRecord | undefined> {
    const { rows } = await this.pool.query<InstallationRow>(
      'SELECT * FROM installations WHERE installation_key = $1',
      [installationKey(key)],
    );
    return rows[0] ? recordFromRow(rows[0]) : undefined;
  }

  async remove(key: InstallationKey): Promise<number> {
    const result = await this.pool.query('DELETE FROM installations WHERE installation_key = $1', [
      installationKey(key),
    ]);
    return result.rowCount ?? 0;
  }

  async list(): Promise<InstallationKey[]> {
    const { rows } = await this.pool.query<InstallationRow>(
      'SELECT * FROM installations ORDER BY installation_key',
    );
    return rows.map((row) => {
      const { data: _data, installedAt: _installed, updatedAt: _updated, ...key } = recordFromRow(row);
      return key;
    });
  }
}
