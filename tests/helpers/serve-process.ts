import { type ChildProcess, spawn } from 'node:child_process';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { CLI } from './run-cli.ts';

/** A `paperbot serve` child process and what it printed. */
export interface ServeProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code or signal. */
  readonly exited: Promise<number | string | null>;
  /** Milliseconds (`performance.now()`) at which a stderr line containing `text` first arrived. */
  seenAt(text: string): number | undefined;
}

/** Starts `paperbot serve` with a clean environment plus `env`. */
export function startServe(name: string, env: Record<string, string>): ServeProcess {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    cwd: PACKAGE_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let text = '';
  const arrivals: { at: number; line: string }[] = [];
  let pending = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    const at = performance.now();
    for (const line of lines) arrivals.push({ at, line });
  });
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  return {
    name,
    child,
    stderr: () => text,
    exited,
    seenAt: (needle) => arrivals.find((arrival) => arrival.line.includes(needle))?.at,
  };
}

/** The JSON log lines of a serve process with message `msg`. */
export function logLines(serve: ServeProcess, msg: string): Record<string, unknown>[] {
  return serve
    .stderr()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.endsWith('}'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === msg);
}

/** Polls a (possibly asynchronous) condition every 50 ms until it returns a value, or throws after `timeoutMs`. */
export async function eventually<T>(
  condition: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
