import { type ChildProcess, spawn } from 'node:child_process';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';

/** A child process that reports what it does as JSON lines on stdout. */
export interface JsonEventChild {
  child: ChildProcess;
  /** The JSON lines printed on stdout so far, parsed. */
  events: Record<string, unknown>[];
  /** Everything written to stderr so far. */
  stderr: () => string;
  /** Resolves with the exit code. */
  exit: Promise<number | null>;
}

/** Runs `node ...args` with a clean environment plus `env`, collecting its JSON events. The caller kills it. */
export function startJsonChild(args: string[], env: Record<string, string> = {}): JsonEventChild {
  const child = spawn(process.execPath, args, {
    cwd: PACKAGE_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const events: Record<string, unknown>[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) events.push(JSON.parse(line));
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, events, stderr: () => stderr, exit };
}
