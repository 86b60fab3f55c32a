import { expect, it } from 'vitest';
import type { Subscription, SubscriptionRepository } from '../../src/trending/subscriptions.ts';
import { type OpenedRepository, openForEachTest } from './contract-setup.ts';

/** An empty SubscriptionRepository and how to dispose of it. */
export type OpenedSubscriptions = OpenedRepository<SubscriptionRepository>;

const slack = (channelId: string, fields: Partial<Subscription> = {}): Subscription => ({
  destinationId: `slack:${channelId}`,
  platform: 'slack',
  channelId,
  teamId: 'T1',
  cron: '0 9 * * 1-5',
  timeZone: 'UTC',
  createdBy: 'U1',
  ...fields,
});

const NOW = new Date('2026-06-01T08:00:00.000Z');

/**
 * The behaviour every `SubscriptionRepository` must have, whichever engine stores it. Call
 * inside a describe block; `open` gives an empty repository for each test.
 */
export function subscriptionRepositoryContract(open: () => Promise<OpenedSubscriptions>): void {
  let repository: SubscriptionRepository;
  openForEachTest(open, (opened) => {
    repository = opened.repository;
  });

  it('saves every field and lists subscriptions by destination id', async () => {
    const full = slack('C2', { topic: 'reinforcement learning', limit: 7, timeZone: 'Europe/Berlin' });
    await repository.save(full, NOW);
    const discord: Subscription = {
      destinationId: 'discord:123',
      platform: 'discord',
      channelId: '123',
      cron: '30 8 * * *',
      timeZone: 'Asia/Tokyo',
    };
    await repository.save(discord, NOW);
    await repository.save(slack('C1'), NOW);
    expect(await repository.list()).toEqual([
      { ...discord, createdAt: NOW.toISOString() },
      { ...slack('C1'), createdAt: NOW.toISOString() },
      { ...full, createdAt: NOW.toISOString() },
    ]);
  });

  it('replaces a channel’s subscription instead of adding a second one', async () => {
    await repository.save(slack('C1', { topic: 'robotics', limit: 3 }), NOW);
    const later = new Date('2026-06-02T08:00:00.000Z');
    await repository.save(slack('C1', { cron: '0 7 * * *', createdBy: 'U2' }), later);
    expect(await repository.list()).toEqual([
      { ...slack('C1', { cron: '0 7 * * *', createdBy: 'U2' }), createdAt: later.toISOString() },
    ]);
  });

  it('lists one channel’s subscriptions, on its platform only', async () => {
    await repository.save(slack('C1'), NOW);
    await repository.save(slack('C2'), NOW);
    await repository.save({ ...slack('C1'), destinationId: 'discord:C1', platform: 'discord' }, NOW);
    expect((await repository.listForChannel('slack', 'C1')).map((s) => s.destinationId)).toEqual([
      'slack:C1',
    ]);
    expect(await repository.listForChannel('slack', 'C9')).toEqual([]);
  });

  it('removes one subscription, and says when there was none', async () => {
    await repository.save(slack('C1'), NOW);
    await repository.save(slack('C2'), NOW);
    expect(await repository.remove('slack:C1')).toBe(true);
    expect(await repository.remove('slack:C1')).toBe(false);
    expect((await repository.list()).map((s) => s.destinationId)).toEqual(['slack:C2']);
  });

  it('removes every subscription of one workspace and nothing else', async () => {
    await repository.save(slack('C1'), NOW);
    await repository.save(slack('C3'), NOW);
    await repository.save(slack('C2', { teamId: 'T2' }), NOW);
    await repository.save(slack('C4', { teamId: undefined }), NOW);
    expect(await repository.removeForTeam('T1')).toEqual(['slack:C1', 'slack:C3']);
    expect(await repository.removeForTeam('T1')).toEqual([]);
    expect((await repository.list()).map((s) => s.destinationId)).toEqual(['slack:C2', 'slack:C4']);
  });
}
