import { expect, it } from 'vitest';
import type { Feedback, FeedbackRepository } from '../../src/feedback/feedback-repository.ts';
import { type OpenedRepository, openForEachTest } from './contract-setup.ts';

/** An empty FeedbackRepository and how to dispose of it. */
export type OpenedFeedback = OpenedRepository<FeedbackRepository>;

const click = (fields: Partial<Feedback> = {}): Feedback => ({
  platform: 'slack',
  userId: 'U1',
  rating: 1,
  question: 'what do layers encode?',
  paperIds: ['2401.00001', '2401.00002'],
  messageRef: 'C1:1700000000.000100',
  ...fields,
});

const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 8, minute));

/**
 * The behaviour every `FeedbackRepository` must have, whichever engine stores it. Call inside a
 * describe block; `open` gives an empty repository for each test.
 */
export function feedbackRepositoryContract(open: () => Promise<OpenedFeedback>): void {
  let repository: FeedbackRepository;
  openForEachTest(open, (opened) => {
    repository = opened.repository;
  });

  it('records a rating with its question, papers and message', async () => {
    await repository.record(click(), at(0));
    expect(await repository.list()).toEqual([{ ...click(), createdAt: at(0).toISOString() }]);
    expect(await repository.summary()).toEqual({ up: 1, down: 0 });
  });

  it('replaces a user’s earlier rating of the same message', async () => {
    await repository.record(click(), at(0));
    await repository.record(click({ rating: -1, paperIds: ['2401.00003'] }), at(1));
    expect(await repository.list()).toEqual([
      { ...click({ rating: -1, paperIds: ['2401.00003'] }), createdAt: at(1).toISOString() },
    ]);
    expect(await repository.summary()).toEqual({ up: 0, down: 1 });
  });

  it('keeps ratings of other users, other messages, other platforms and unreferenced ones apart', async () => {
    await repository.record(click(), at(0));
    await repository.record(click({ userId: 'U2', rating: -1 }), at(1));
    await repository.record(click({ messageRef: 'C1:1700000000.000200' }), at(2));
    await repository.record(click({ platform: 'discord' }), at(3));
    await repository.record(click({ messageRef: undefined }), at(4));
    await repository.record(click({ messageRef: undefined, rating: -1 }), at(5));
    const rows = await repository.list();
    expect(rows.map((row) => [row.userId, row.platform, row.messageRef ?? null, row.rating])).toEqual([
      ['U1', 'slack', 'C1:1700000000.000100', 1],
      ['U2', 'slack', 'C1:1700000000.000100', -1],
      ['U1', 'slack', 'C1:1700000000.000200', 1],
      ['U1', 'discord', 'C1:1700000000.000100', 1],
      ['U1', 'slack', null, 1],
      ['U1', 'slack', null, -1],
    ]);
    expect(await repository.summary()).toEqual({ up: 4, down: 2 });
  });

  it('has an empty summary when nothing was rated', async () => {
    expect(await repository.list()).toEqual([]);
    expect(await repository.summary()).toEqual({ up: 0, down: 0 });
  });
}
