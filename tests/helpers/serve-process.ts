import { type ChildProcess, spawn } from 'node:child_process';
import { onTestFinished } from 'vitest';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { FakeSlack } from '../fakes/fake-slack.ts';
import { CLI } from './run-cli.ts';
import { copyBundledIndex } from './temp-index.ts';

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

/** A `paperbot serve` with its Slack adapter on a FakeSlack, over a private copy of the bundled index. */
export interface SlackServe {
  slack: FakeSlack;
  /** The index directory serve runs on (its `paperbot.db` holds what serve stored). */
  indexDir: string;
  serve: ServeProcess;
  /** Where the Slack adapter listens, from its `slack adapter started` log line. */
  slackAddress: { address: string; port: number };
}

/**
 * Starts `paperbot serve` with the Slack adapter in HTTP mode against a new FakeSlack (`env` adds
 * the Slack credentials and anything else); resolves once serve is ready and the adapter listens.
 * The process is killed and the fake and the index copy removed when the calling test finishes.
 */
export async function startSlackServe(env: Record<string, string>): Promise<SlackServe> {
  const slack = await new FakeSlack().listen();
  const index = copyBundledIndex();
  const serve = startServe('serve', {
    PAPERBOT_INDEX_DIR: index.dir,
    PAPERBOT_REFRESH_MINUTES: '0',
    SLACK_PORT: '0',
    SLACK_API_URL: slack.apiUrl,
    ...env,
  });
  onTestFinished(async () => {
    if (serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill('SIGKILL');
    await serve.exited;
    await slack.close();
    index.cleanup();
  });
  await eventually(() => serve.stderr().includes('ready ('), 60_000, 'serve ready');
  // JSON log lines are written asynchronously: wait for the adapter's own line, not for `ready`.
  const started = await eventually(
    () => logLines(serve, 'slack adapter started')[0],
    30_000,
    'slack adapter started',
  );
  return {
    slack,
    indexDir: index.dir,
    serve,
    slackAddress: started.address as { address: string; port: number },
  };
}
