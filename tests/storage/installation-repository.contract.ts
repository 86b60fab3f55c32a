import { expect, it } from 'vitest';
import type { InstallationRepository } from '../../src/storage/installation-repository.ts';
import { type OpenedRepository, openForEachTest } from './contract-setup.ts';

/** An empty InstallationRepository and how to dispose of it. */
export type OpenedInstallations = OpenedRepository<InstallationRepository>;

const workspace = (teamId: string, token: string) => ({
  teamId,
  isEnterpriseInstall: false,
  data: JSON.stringify({ team: { id: teamId }, bot: { token } }),
});

/** The behaviour every `InstallationRepository` must have, whichever engine stores it. */
export function installationRepositoryContract(open: () => Promise<OpenedInstallations>): void {
  let repository: InstallationRepository;
  openForEachTest(open, (opened) => {
    repository = opened.repository;
  });

  it('stores installations per workspace and finds each by its team id', async () => {
    await repository.save(workspace('T1', 'xoxb-one'), new Date('2026-01-01T00:00:00Z'));
    await repository.save(workspace('T2', 'xoxb-two'), new Date('2026-01-02T00:00:00Z'));
    const one = await repository.find({ teamId: 'T1', isEnterpriseInstall: false });
    expect(JSON.parse(one!.data).bot.token).toBe('xoxb-one');
    expect(one).toMatchObject({
      teamId: 'T1',
      isEnterpriseInstall: false,
      installedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(
      JSON.parse((await repository.find({ teamId: 'T2', isEnterpriseInstall: false }))!.data).bot.token,
    ).toBe('xoxb-two');
    expect(await repository.find({ teamId: 'T3', isEnterpriseInstall: false })).toBeUndefined();
    expect(await repository.list()).toEqual([
      { teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false },
      { teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false },
    ]);
  });

  it('replaces an installation saved again (a token refresh) and keeps when it was first installed', async () => {
    await repository.save(workspace('T1', 'xoxb-old'), new Date('2026-01-01T00:00:00Z'));
    await repository.save(workspace('T1', 'xoxb-new'), new Date('2026-02-01T00:00:00Z'));
    const stored = await repository.find({ teamId: 'T1', isEnterpriseInstall: false });
    expect(JSON.parse(stored!.data).bot.token).toBe('xoxb-new');
    expect(stored).toMatchObject({
      installedAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-02-01T00:00:00.000Z',
    });
    expect(await repository.list()).toHaveLength(1);
  });

  it('keeps an organisation-wide install apart from a workspace of that organisation', async () => {
    await repository.save({ enterpriseId: 'E1', isEnterpriseInstall: true, data: '{"org":true}' });
    await repository.save({
      teamId: 'T1',
      enterpriseId: 'E1',
      isEnterpriseInstall: false,
      data: '{"org":false}',
    });
    expect((await repository.find({ enterpriseId: 'E1', isEnterpriseInstall: true }))?.data).toBe(
      '{"org":true}',
    );
    expect(
      (await repository.find({ teamId: 'T1', enterpriseId: 'E1', isEnterpriseInstall: false }))?.data,
    ).toBe('{"org":false}');
  });

  it('removes an installation once, leaving the others', async () => {
    await repository.save(workspace('T1', 'xoxb-one'));
    await repository.save(workspace('T2', 'xoxb-two'));
    expect(await repository.remove({ teamId: 'T1', isEnterpriseInstall: false })).toBe(1);
    expect(await repository.remove({ teamId: 'T1', isEnterpriseInstall: false })).toBe(0);
    expect(await repository.find({ teamId: 'T1', isEnterpriseInstall: false })).toBeUndefined();
    expect((await repository.list()).map((key) => key.teamId)).toEqual(['T2']);
  });

  it('refuses a key without its id, naming what is missing', async () => {
    await expect(repository.save({ isEnterpriseInstall: false, data: '{}' })).rejects.toMatchObject({
      code: 'INSTALLATION_INVALID',
      message: expect.stringContaining('team id'),
    });
    await expect(repository.find({ isEnterpriseInstall: true })).rejects.toMatchObject({
      code: 'INSTALLATION_INVALID',
      message: expect.stringContaining('enterprise id'),
    });
  });
}
