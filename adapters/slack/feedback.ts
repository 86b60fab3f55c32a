import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Clock } from '../../src/clock.ts';
import type { SqliteDatabase } from '../../src/storage/database.ts';
import { FEEDBACK_ACTIONS, type FeedbackValue } from './answer-blocks.ts';
import type { HandlerContext } from './handler-context.ts';

/** One 👍/👎 on an answer. */
export interface FeedbackRecord {
  userId: string;
  rating: -1 | 1;
  question: string;
  paperIds: string[];
  /** `channel:message_ts` of the rated answer. */
  messageRef?: string;
}

/** Parses a feedback button value; undefined when it is not ours or is malformed. */
export function parseFeedbackValue(value: string | undefined): FeedbackValue | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<FeedbackValue>;
    if (typeof parsed.q !== 'string' || !Array.isArray(parsed.p)) return undefined;
    return { q: parsed.q, p: parsed.p.filter((id): id is string => typeof id === 'string') };
  } catch {
    return undefined;
  }
}

/**
 * Stores feedback in the `feedback` table. A user's second click on the same answer replaces
 * the first rating rather than adding a row.
 */
export function recordFeedback(database: SqliteDatabase, record: FeedbackRecord, clock: Clock): void {
  const createdAt = new Date(clock.now()).toISOString();
  const paperIds = JSON.stringify(record.paperIds);
  database
    .transaction(() => {
      const updated = record.messageRef
        ? database
            .prepare(
              `UPDATE feedback SET rating = ?, question = ?, paper_ids = ?, created_at = ?
               WHERE platform = 'slack' AND user_id = ? AND message_ref = ?`,
            )
            .run(record.rating, record.question, paperIds, createdAt, record.userId, record.messageRef)
            .changes
        : 0;
      if (updated === 0) {
        database
          .prepare(
            `INSERT INTO feedback (platform, user_id, rating, question, paper_ids, message_ref, created_at)
             VALUES ('slack', ?, ?, ?, ?, ?, ?)`,
          )
          .run(record.userId, record.rating, record.question, paperIds, record.messageRef ?? null, createdAt);
      }
    })
    .immediate();
}

/** 👍/👎 buttons under answers: recorded with the question and cited papers, thanked ephemerally. */
export function registerFeedbackHandlers(app: App, context: HandlerContext): void {
  const pattern = new RegExp(`^(${FEEDBACK_ACTIONS.up}|${FEEDBACK_ACTIONS.down})$`);
  app.action<BlockAction<ButtonAction>>({ action_id: pattern }, async ({ ack, action, body, respond }) => {
    await ack();
    const log = context.logger.child({ component: 'slack', user: body.user.id });
    try {
      const value = parseFeedbackValue(action.value);
      if (!value) return log.warn('ignored a malformed feedback click');
      const channel = body.channel?.id ?? body.container?.channel_id;
      const messageTs = body.container?.message_ts ?? body.message?.ts;
      const record: FeedbackRecord = {
        userId: body.user.id,
        rating: action.action_id === FEEDBACK_ACTIONS.up ? 1 : -1,
        question: value.q,
        paperIds: value.p,
        messageRef: channel && messageTs ? `${channel}:${messageTs}` : undefined,
      };
      if (context.database) recordFeedback(context.database, record, context.clock);
      else log.warn({ rating: record.rating }, 'feedback not recorded: no database');
      log.info({ rating: record.rating, messageRef: record.messageRef }, 'slack feedback');
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'Thanks for the feedback!',
      });
    } catch (error) {
      log.error({ err: error }, 'slack feedback failed');
    }
  });
}
