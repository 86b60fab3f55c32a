import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';

/** A child process whose stdout and stderr are collected together, for the kill -9 checks. */
export interface OutputChild {
  process: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exit: Promise<number | null>;
  /** Resolves once `pattern` appears in the output; rejects when the child exits before. */
  waitFor(pattern: RegExp): Promise<void>;
}

/** Runs `node ...args` from the package root with a clean environment plus `env`. The caller ends it. */
export function startOutputChild(args: string[], env: Record<string, string> = {}): OutputChild {
  const child = spawn(process.execPath, args, {
    cwd: PACKAGE_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk;
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(output)) return;
        child.stdout?.off('data', check);
        child.stderr?.off('data', check);
        resolve();
      };
      child.stdout?.on('data', check);
      child.stderr?.on('data', check);
      void exit.then(() =>
        pattern.test(output) ? resolve() : reject(new Error(`child exited before ${pattern}:\n${output}`)),
      );
      check();
    });
  return { process: child, output: () => output, exit, waitFor };
}
