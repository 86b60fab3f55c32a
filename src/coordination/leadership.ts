/**
 * Which process of a deployment is the leader: the one that runs the feed refresh and writes the
 * index. With PostgreSQL several `serve` replicas elect one (`src/postgres/leader-election.ts`);
 * a process on the embedded store is its own leader (`soleLeader`).
 */
export interface Leadership {
  /** True while this process holds the leadership. */
  readonly isLeader: boolean;
  /** Starts campaigning; `onElected`/`onDeposed` fire on each change. Resolves after the first attempt. */
  start(): Promise<void>;
  /** Gives the leadership up (if held) and stops campaigning. Safe to call twice. */
  stop(): Promise<void>;
}

/** Called when leadership changes hands in this process. */
export interface LeadershipEvents {
  /** This process just became the leader. */
  onElected?: () => void;
  /** This process just lost the leadership (its connection failed, or `stop`). */
  onDeposed?: (reason: string) => void;
}

/** The leadership of a process that is alone (embedded store): elected at start, deposed at stop. */
export function soleLeader(events: LeadershipEvents = {}): Leadership {
  let leader = false;
  return {
    get isLeader() {
      return leader;
    },
    async start() {
      if (leader) return;
      leader = true;
      events.onElected?.();
    },
    async stop() {
      if (!leader) return;
      leader = false;
      events.onDeposed?.('stopped');
    },
  };
}
