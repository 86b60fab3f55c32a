import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PaperbotError } from '../errors.ts';

export interface LockOptions {
  /** How long to wait for another writer, in ms (default 10 minutes). */
  timeoutMs?: number;
  /** How often to look again while waiting, in ms (default 200). */
  pollMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(join(path, 'owner.json'), 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/**
 * An exclusive lock between processes on one machine: a directory created atomically, holding
 * the owner's pid. A lock whose owner process is gone (killed half way) is taken over. Returns
 * the function that releases it.
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
      const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
      writeFileSync(join(path, 'owner.json'), JSON.stringify(owner));
      return () => rmSync(path, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(path);
    // No owner file yet: the other process is between mkdir and write; wait a moment.
    const stale = owner !== undefined && owner.host === hostname() && !isAlive(owner.pid);
    if (stale) {
      rmSync(path, { recursive: true, force: true });
      continue;
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
