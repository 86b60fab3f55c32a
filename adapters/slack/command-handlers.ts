import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import { describeError, hasCode } from '../../src/errors.ts';
import { failureNotice, isUsageError } from '../shared/failure-notice.ts';
import { renderAnswer, renderNotice } from './answer-blocks.ts';
import { type HandlerContext, rateLimitNotice, USAGE, usageProblem } from './handler-context.ts';
import { renderDigest, renderPapers, SHARE_PAPERS_ACTION } from './listing-blocks.ts';
import { safeText } from './mrkdwn.ts';
import { registerSubscribeHandlers } from './subscribe-command.ts';

/** Papers listed by `/papers`. */
const PAPERS_LISTED = 5;

interface CommandRun {
  name: string;
  text: string;
  userId: string;
  channelId: string;
  respond: RespondFn;
}

/** Runs the slow part of a command after the ack; failures become an ephemeral apology, never a throw. */
async function afterAck(context: HandlerContext, run: CommandRun, usage: string, work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    const usageError = isUsageError(error);
    if (!usageError && !hasCode(error, 'BUSY')) {
      context.logger.error(
        { component: 'slack', err: error, command: run.name, channel: run.channelId, user: run.userId },
        `slack command failed: ${describeError(error)}`,
      );
    }
    try {
      await run.respond({
        response_type: 'ephemeral',
        ...renderNotice(usageError ? usage : failureNotice(error)),
      });
    } catch (respondError) {
      context.logger.error({ component: 'slack', err: respondError, command: run.name }, 'could not respond');
    }
  }
}

/**
 * `/papers <query>` (ephemeral, with "Share in channel"), `/ask <question>` (in channel) and
 * `/trending [topic]` (ephemeral preview), and `/subscribe` / `/unsubscribe` (digest to this
 * channel). Each acks at once, usage text or rate-limit notice included; the result follows
 * through `respond()`.
 */
export function registerCommandHandlers(app: App, context: HandlerContext): void {
  registerSubscribeHandlers(app, context);
  const commands: {
    name: string;
    usage: string;
    required: boolean;
    work: (run: CommandRun) => Promise<void>;
  }[] = [
    {
      name: '/papers',
      usage: USAGE.papers,
      required: true,
      work: async (run) => {
        const hits = await context.bot.search(run.text, { k: PAPERS_LISTED });
        await run.respond({
          response_type: 'ephemeral',
          ...renderPapers(run.text, hits, { shareQuery: run.text }),
        });
      },
    },
    {
      name: '/ask',
      usage: USAGE.ask,
      required: true,
      work: async (run) => {
        const answer = await context.bot.ask(run.text);
        const heading = `*Question:* ${safeText(run.text)}`;
        for (const message of renderAnswer(answer, run.text, { heading })) {
          await run.respond({ response_type: 'in_channel', replace_original: false, ...message });
        }
      },
    },
    {
      name: '/trending',
      usage: USAGE.trending,
      required: false,
      work: async (run) => {
        const digest = await context.bot.trendingDigest(run.text ? { topic: { query: run.text } } : {});
        await run.respond({ response_type: 'ephemeral', ...renderDigest(digest) });
      },
    },
  ];

  for (const command of commands) {
    app.command(command.name, async ({ command: payload, ack, respond }) => {
      const run: CommandRun = {
        name: command.name,
        text: payload.text.trim(),
        userId: payload.user_id,
        channelId: payload.channel_id,
        respond,
      };
      const problem = usageProblem(run.text, command.usage, command.required);
      if (problem) return ack({ response_type: 'ephemeral', text: problem });
      const decision = await context.limiter.take(run.userId, run.channelId);
      if (!decision.allowed) return ack({ response_type: 'ephemeral', text: rateLimitNotice(decision) });
      await ack();
      await afterAck(context, run, command.usage, () => command.work(run));
    });
  }

  app.action<BlockAction<ButtonAction>>(SHARE_PAPERS_ACTION, async ({ ack, action, body, respond }) => {
    await ack();
    const query = action.value ?? '';
    const run: CommandRun = {
      name: 'share papers',
      text: query,
      userId: body.user.id,
      channelId: body.channel?.id ?? '',
      respond,
    };
    await afterAck(context, run, USAGE.papers, async () => {
      const hits = await context.bot.search(query, { k: PAPERS_LISTED });
      await respond({ response_type: 'in_channel', replace_original: false, ...renderPapers(query, hits) });
    });
  });
}
