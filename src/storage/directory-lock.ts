import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PaperbotError } from '../errors.ts';

export interface LockOptions {
  /** How long to wait for another writer, in ms (default 10 minutes). */
  timeoutMs?: number;
  /** How often to look again while waiting, in ms (default 200). */
  pollMs?: number;
  /**
   * Tests only: runs after a lock was judged stale and before it is taken over, so a test can
   * let another taker run in exactly that gap.
   */
  beforeTakeover?: () => Promise<void> | void;
}

interface LockOwner {
  pid: number;
  host: string;
  since: string;
  /** Unique per acquisition: tells this lock from a later one of the same process. */
  token?: string;
}

/** A takeover guard older than this was left by a process killed inside the (synchronous) takeover. */
const ABANDONED_GUARD_MS = 30_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The owner file's text, exactly: two reads that agree mean the same acquisition. */
function readOwnerText(path: string): string | undefined {
  try {
    return readFileSync(join(path, 'owner.json'), 'utf8');
  } catch {
    return undefined;
  }
}

function parseOwner(text: string | undefined): LockOwner | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as LockOwner;
  } catch {
    return undefined;
  }
}

function isStale(owner: LockOwner | undefined): boolean {
  return owner !== undefined && owner.host === hostname() && !isAlive(owner.pid);
}

/**
 * Removes the lock at `path` only if it is still the stale acquisition `judged` (its owner file
 * unchanged). Waiters that judged the same lock stale take turns through a guard directory, so a
 * second waiter re-reads the owner after the first has taken over and leaves the fresh lock alone.
 */
function removeIfStill(path: string, judged: string): boolean {
  const guard = `${path}.takeover`;
  try {
    mkdirSync(guard);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (Date.now() - statSync(guard).mtimeMs > ABANDONED_GUARD_MS)
        rmSync(guard, { recursive: true, force: true });
    } catch {
      // Gone already: the other waiter finished its takeover.
    }
    return false; // Another waiter is taking over; look again on the next poll.
  }
  try {
    const current = readOwnerText(path);
    if (current === judged && isStale(parseOwner(current))) rmSync(path, { recursive: true, force: true });
  } finally {
    rmSync(guard, { recursive: true, force: true });
  }
  return true;
}

/**
 * An exclusive lock between processes on one machine: a directory created atomically, holding
 * the owner's pid. A lock whose owner process is gone (killed half way) is taken over, by one
 * waiter only. Returns the function that releases it; releasing never removes a later owner's lock.
 * Hand-written rather than `proper-lockfile`: staleness here is "the owner pid is dead", which
 * needs no heartbeat writes during a long index build.
 */
export async function acquireDirectoryLock(
  dir: string,
  name: string,
  options: LockOptions = {},
): Promise<() => void> {
  const path = join(dir, `.lock-${name}`);
  const timeoutMs = options.timeoutMs ?? 600_000;
  const pollMs = options.pollMs ?? 200;
  const started = Date.now();
  mkdirSync(dir, { recursive: true });
  for (;;) {
    try {
      mkdirSync(path);
      const owner: LockOwner = {
        pid: process.pid,
        host: hostname(),
        since: new Date().toISOString(),
        token: randomUUID(),
      };
      const mine = JSON.stringify(owner);
      writeFileSync(join(path, 'owner.json'), mine);
      return () => {
        if (readOwnerText(path) === mine) rmSync(path, { recursive: true, force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const ownerText = readOwnerText(path);
    const owner = parseOwner(ownerText);
    // No owner file yet: the other process is between mkdir and write; wait a moment.
    if (ownerText !== undefined && isStale(owner)) {
      await options.beforeTakeover?.();
      if (removeIfStill(path, ownerText)) continue;
    }
    if (Date.now() - started >= timeoutMs) {
      throw new PaperbotError(
        'INDEX_LOCKED',
        `${dir} is being written by process ${owner?.pid ?? '?'} on ${owner?.host ?? '?'} since ${owner?.since ?? '?'}. ` +
          `Wait for it to finish; if no paperbot process is running, delete ${path}.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
