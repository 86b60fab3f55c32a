import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Flushes a file (or directory entry) to disk so a rename after it is durable. */
export function fsyncPath(path: string): void {
  const descriptor = openSync(path, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Writes `content` to `path` atomically: a temporary file in the same directory, flushed, then
 * renamed over the target. A crash leaves either the old file or the new one, never a mix.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const temporary = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(temporary, content);
    fsyncPath(temporary);
    renameSync(temporary, path);
    fsyncDirectory(dirname(path));
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Flushes a directory so renames inside it survive a power loss (best effort on platforms without it). */
export function fsyncDirectory(path: string): void {
  try {
    fsyncPath(path);
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic.
  }
}
