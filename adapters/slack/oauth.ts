import type { App, InstallationStore } from '@slack/bolt';
import { describeError } from '../../src/errors.ts';
import type { Logger } from '../../src/logger.ts';
import type { SharedClaims } from '../../src/runtime/shared-claims.ts';

/** Path of the page that starts an install ("Add to Slack"). */
export const SLACK_INSTALL_PATH = '/slack/install';
/** Path Slack redirects to after an install (the OAuth redirect URL of the app). */
export const SLACK_OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';
/** How long an Events API event id is remembered: longer than Slack's retries (about 5 minutes). */
export const EVENT_CLAIM_TTL_MS = 60 * 60_000;

/** Called after an installation was removed, with the team id of the workspace. */
export type UninstallHook = (teamId: string) => Promise<void> | void;

interface BoltContext {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
}

/**
 * `app_uninstalled`, and `tokens_revoked` for the bot token, remove the workspace's installation
 * from the store and then call `onUninstall(teamId)` (the composition root drops that workspace's
 * digest destinations). Bolt runs these two events without authorizing them (the token is gone).
 */
export function registerUninstallHandlers(
  app: App,
  options: { store: InstallationStore; logger: Logger; onUninstall?: UninstallHook },
): void {
  const logger = options.logger.child({ component: 'slack' });
  const remove = async (context: BoltContext, reason: string) => {
    const { teamId, enterpriseId } = context;
    const isEnterpriseInstall = context.isEnterpriseInstall === true;
    try {
      await options.store.deleteInstallation?.({ teamId, enterpriseId, isEnterpriseInstall });
      logger.info({ teamId, enterpriseId, reason }, 'slack installation removed');
      if (teamId && !isEnterpriseInstall) await options.onUninstall?.(teamId);
    } catch (error) {
      logger.error(
        { err: error, teamId, enterpriseId },
        `could not remove slack installation: ${describeError(error)}`,
      );
    }
  };
  app.event('app_uninstalled', async ({ context }) => remove(context, 'app_uninstalled'));
  app.event('tokens_revoked', async ({ event, context }) => {
    if ((event.tokens.bot ?? []).length > 0) await remove(context, 'tokens_revoked (bot)');
  });
}

/**
 * Handles each Events API event once across replicas: the first process to claim its `event_id`
 * handles it; a retry or a copy delivered to another process (or again to this one) is
 * acknowledged and dropped. Bolt acknowledges events before this middleware runs, in both modes.
 */
export function registerEventDeduplication(app: App, claims: SharedClaims, logger: Logger): void {
  app.use(async ({ body, next }) => {
    const { type, event_id: eventId } = body as { type?: unknown; event_id?: unknown };
    if (type === 'event_callback' && typeof eventId === 'string') {
      if (!(await claims.claim(`slack-event:${eventId}`, EVENT_CLAIM_TTL_MS))) {
        logger.info({ component: 'slack', eventId }, 'slack event already handled: ignored');
        return;
      }
    }
    await next();
  });
}
