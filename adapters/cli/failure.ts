import { describeError, PaperbotError } from '../../src/errors.ts';
import { EXIT } from './context.ts';

/** Options every command accepts: help prints the command's usage and exits 0, without running it. */
export const HELP_FLAGS = new Set(['--help', '-h']);

/** The arguments before a `--` terminator (after it, `--help` is a value, not a flag). */
function flagsOf(args: readonly string[]): readonly string[] {
  const end = args.indexOf('--');
  return end < 0 ? args : args.slice(0, end);
}

/** True when the command line asks for help. */
export function wantsHelp(args: readonly string[]): boolean {
  return flagsOf(args).some((arg) => HELP_FLAGS.has(arg));
}

/** True when the command line asks for JSON output. */
export function wantsJson(args: readonly string[]): boolean {
  return flagsOf(args).includes('--json');
}

/** True for the errors `node:util` parseArgs throws on a bad command line (unknown option, missing value...). */
export function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** What a failed command reports: the exit code and, for `--json`, the error document. */
export interface CliFailure {
  exitCode: number;
  code: string;
  message: string;
}

/** Classifies a thrown error: a bad command line is a usage error (exit 2), anything else a failure (exit 1). */
export function failureOf(error: unknown): CliFailure {
  if (isParseArgsError(error)) return { exitCode: EXIT.usage, code: 'USAGE', message: describeError(error) };
  if (error instanceof PaperbotError) {
    return {
      exitCode: error.code === 'USAGE' ? EXIT.usage : EXIT.failure,
      code: error.code,
      message: error.message,
    };
  }
  return { exitCode: EXIT.failure, code: 'UNEXPECTED', message: describeError(error) };
}

/** The one JSON document a `--json` command prints on stdout when it fails. */
export function errorDocument(code: string, message: string): string {
  return `${JSON.stringify({ error: { code, message } })}\n`;
}

/**
 * Remembers the last message a command wrote to stderr (progress bar lines excluded), so a
 * command that returned a non-zero exit code without throwing still gets a `--json` error
 * document naming what went wrong.
 */
export function createMessageRecorder(): { record(text: string): void; last(): string | undefined } {
  let last: string | undefined;
  return {
    record(text) {
      if (text.startsWith('\r') || !text.trim() || /\[[#-]+\] \d+\/\d+/.test(text)) return;
      const message = text.split('\n').find((line) => line.trim() && !/^(Usage:|Options:|\s)/.test(line));
      if (message) last = message.trim();
    },
    last: () => last,
  };
}
