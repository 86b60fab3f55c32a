import pg from 'pg';
import type { Leadership, LeadershipEvents } from '../coordination/leadership.ts';
import { describeError } from '../errors.ts';
import { type Logger, silentLogger } from '../logger.ts';

/** Advisory lock key of the `serve` leader (one per database; distinct from the writer lock). */
export const LEADER_LOCK_KEY = 7_315_004;

/** Seconds between a follower's attempts on the lock, and between the leader's liveness checks. */
export const DEFAULT_LEADER_RETRY_MS = 5_000;

export interface LeaderElectionOptions extends LeadershipEvents {
  /** `DATABASE_URL`: the election uses its own connection, never one of the pool. */
  databaseUrl: string;
  /** Milliseconds between attempts (followers) and liveness checks (leader); default 5,000. */
  retryMs?: number;
  logger?: Logger;
}

/**
 * Leader election over a PostgreSQL session advisory lock (`pg_try_advisory_lock`) held on a
 * dedicated `pg.Client`: a pooled connection could be handed to other work or, behind a
 * transaction pooler, to another session. The lock lives as long as that connection: when the
 * leader process dies its socket closes and the server releases the lock at once; when its
 * machine vanishes, the server-side TCP keepalives set below end the session within about 25 s.
 * Followers retry every `retryMs`; the leader checks its connection as often and steps down
 * (`onDeposed`) as soon as a check fails, before anyone else can win.
 */
export function createLeaderElection(options: LeaderElectionOptions): Leadership {
  const retryMs = options.retryMs ?? DEFAULT_LEADER_RETRY_MS;
  const logger = (options.logger ?? silentLogger()).child({ component: 'leader' });
  let client: pg.Client | undefined;
  let leader = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let attempt: Promise<void> | undefined;

  const depose = (reason: string) => {
    if (!leader) return;
    leader = false;
    logger.warn({ reason }, 'no longer the leader');
    options.onDeposed?.(reason);
  };

  /** Forgets the connection (ending its session releases the lock). Not awaited when broken: `end` may never settle. */
  const drop = async (reason: string, wait = false) => {
    const old = client;
    client = undefined;
    depose(reason);
    const ended = old?.end().catch(() => undefined);
    if (wait) await ended;
  };

  const connect = async (): Promise<pg.Client> => {
    const fresh = new pg.Client({
      connectionString: options.databaseUrl,
      application_name: 'paperbot-leader',
      // The client notices a dead server (or network) instead of waiting on a silent socket.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    fresh.on('error', (error) => void drop(`connection error: ${describeError(error)}`));
    await fresh.connect();
    // The server notices a dead client the same way: idle 10 s, then 3 probes 5 s apart.
    await fresh.query(
      'SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3',
    );
    return fresh;
  };

  const tryOnce = async () => {
    try {
      client ??= await connect();
      if (leader) {
        await client.query('SELECT 1');
        return;
      }
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
        LEADER_LOCK_KEY,
      ]);
      if (rows[0]?.locked && !stopped) {
        leader = true;
        logger.info('elected leader');
        options.onElected?.();
      }
    } catch (error) {
      await drop(`database unreachable: ${describeError(error)}`);
      logger.warn({ err: error }, 'leader election attempt failed; retrying');
    }
  };

  const loop = () => {
    if (stopped) return;
    attempt = tryOnce().finally(() => {
      attempt = undefined;
      if (!stopped) timer = setTimeout(loop, retryMs);
    });
  };

  return {
    get isLeader() {
      return leader;
    },
    async start() {
      if (attempt || timer) return;
      stopped = false;
      loop();
      await attempt;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await attempt;
      // Ending the session releases the lock; the next follower wins at its next attempt.
      await drop('stopped', true);
    },
  };
}
