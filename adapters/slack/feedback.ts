import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Feedback } from '../../src/feedback/feedback-repository.ts';
import { FEEDBACK_ACTIONS, type FeedbackValue } from './answer-blocks.ts';
import type { HandlerContext } from './handler-context.ts';

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
      const record: Feedback = {
        platform: 'slack',
        userId: body.user.id,
        rating: action.action_id === FEEDBACK_ACTIONS.up ? 1 : -1,
        question: value.q,
        paperIds: value.p,
        ...(channel && messageTs ? { messageRef: `${channel}:${messageTs}` } : {}),
      };
      if (context.feedback) await context.feedback.record(record, new Date(context.clock.now()));
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
