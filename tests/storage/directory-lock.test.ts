import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../src/errors.ts';
import { acquireDirectoryLock } from '../../src/storage/directory-lock.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** An index directory whose write lock was left by a process that has exited (killed half way). */
function dirWithAbandonedLock(): string {
  const dir = mkdtempSync(join(tmpdir(), 'paperbot-lock-'));
  roots.push(dir);
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
  mkdirSync(join(dir, '.lock-write'));
  writeFileSync(
    join(dir, '.lock-write', 'owner.json'),
    JSON.stringify({ pid: deadPid, host: hostname(), since: '2026-01-01T00:00:00.000Z' }),
  );
  return dir;
}

const ownerOf = (dir: string) =>
  JSON.parse(readFileSync(join(dir, '.lock-write', 'owner.json'), 'utf8')) as { pid: number; token?: string };

describe('acquireDirectoryLock', () => {
  it('takes over a lock whose owner process is gone', async () => {
    const dir = dirWithAbandonedLock();
    const release = await acquireDirectoryLock(dir, 'write', { timeoutMs: 1_000, pollMs: 10 });
    expect(ownerOf(dir).pid).toBe(process.pid);
    release();
    expect(existsSync(join(dir, '.lock-write'))).toBe(false);
  });

  it('lets only one of two waiters that judged the same lock stale take it over', async () => {
    const dir = dirWithAbandonedLock();
    let first: (() => void) | undefined;
    // The second waiter has judged the abandoned lock stale; in that gap the first waiter
    // judges it stale too, takes it over and holds it.
    const second = acquireDirectoryLock(dir, 'write', {
      timeoutMs: 300,
      pollMs: 10,
      beforeTakeover: async () => {
        first ??= await acquireDirectoryLock(dir, 'write', { timeoutMs: 1_000, pollMs: 10 });
      },
    });
    const outcome = await second.then(
      () => 'acquired while the first waiter holds the lock',
      (error: unknown) => (hasCode(error, 'INDEX_LOCKED') ? 'waited' : String(error)),
    );
    expect(outcome).toBe('waited');
    expect(first).toBeDefined();
    const held = ownerOf(dir);
    expect(held.pid).toBe(process.pid);
    first?.();
    expect(existsSync(join(dir, '.lock-write'))).toBe(false);
  });

  it("never removes a later owner's lock on release", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperbot-lock-'));
    roots.push(dir);
    const release = await acquireDirectoryLock(dir, 'write');
    // Someone (wrongly) removed our lock and another writer took it.
    rmSync(join(dir, '.lock-write'), { recursive: true, force: true });
    const releaseOther = await acquireDirectoryLock(dir, 'write');
    const other = ownerOf(dir).token;
    release();
    expect(ownerOf(dir).token).toBe(other);
    releaseOther();
    expect(existsSync(join(dir, '.lock-write'))).toBe(false);
  });
});
