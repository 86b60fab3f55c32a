import type { Config } from '../../src/config/config.ts';
import type { Logger } from '../../src/logger.ts';
import type { Runtime } from '../../src/runtime/create-runtime.ts';

/** What every CLI command receives from the entry point. */
export interface CliContext {
  config: Config;
  logger: Logger;
  /** Writes to stdout (JSON output goes here, and nothing else). */
  out(text: string): void;
  /** Writes to stderr (progress, warnings, errors). */
  err(text: string): void;
  /** True when stderr is a terminal (progress bars redraw in place). */
  interactive: boolean;
  /** Builds the core once, on first use (loads embeddings, index and database). */
  runtime(): Promise<Runtime>;
}

/** A CLI command: parses its own arguments and returns the process exit code. */
export type CliCommand = (args: string[], context: CliContext) => Promise<number>;

/** A command module as the entry point loads it. */
export interface LoadedCommand {
  /** Runs the command. */
  run: CliCommand;
  /** Its usage text, printed on stdout for `--help` and on stderr after a usage error. */
  usage: string;
}

/** Exit codes shared by all commands. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** The question was declined (`ask` only, so scripts can tell). */
  declined: 0,
} as const;
