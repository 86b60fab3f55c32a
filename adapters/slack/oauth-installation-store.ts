import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { PaperbotError } from '../../src/errors.ts';
import type { InstallationKey, InstallationRepository } from '../../src/storage/installation-repository.ts';

/** The repository key of a Bolt installation query. */
export function keyOfQuery(query: InstallationQuery<boolean>): InstallationKey {
  return {
    teamId: query.teamId ?? undefined,
    enterpriseId: query.enterpriseId ?? undefined,
    isEnterpriseInstall: query.isEnterpriseInstall === true,
  };
}

function describeKey(key: InstallationKey): string {
  return key.isEnterpriseInstall ? `organisation ${key.enterpriseId}` : `workspace ${key.teamId}`;
}

/**
 * Bolt's `InstallationStore` over the core `InstallationRepository` (`stores.installations`):
 * whichever replica finishes an OAuth install or refreshes a token stores it (an upsert), and
 * every replica finds it. The installation, tokens included, is stored as Bolt gives it.
 */
export class RepositoryInstallationStore implements InstallationStore {
  constructor(private readonly repository: InstallationRepository) {}

  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(
    installation: Installation<AuthVersion, boolean>,
  ): Promise<void> {
    await this.repository.save({
      teamId: installation.team?.id,
      enterpriseId: installation.enterprise?.id,
      isEnterpriseInstall: installation.isEnterpriseInstall === true,
      data: JSON.stringify(installation),
    });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const key = keyOfQuery(query);
    const record = await this.repository.find(key);
    if (!record) {
      throw new PaperbotError(
        'SLACK_NOT_INSTALLED',
        `paperbot is not installed in Slack ${describeKey(key)} (no installation stored). ` +
          'Install it there through /slack/install of this server.',
      );
    }
    return JSON.parse(record.data) as Installation<'v1' | 'v2', boolean>;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.repository.remove(keyOfQuery(query));
  }
}
