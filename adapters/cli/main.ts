import 'dotenv/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.ts';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { createLogger } from '../../src/logger.ts';
import type { Runtime } from '../../src/runtime/create-runtime.ts';
import { configSecrets, safeOutput } from '../../src/runtime/secrets.ts';
import { type CliContext, EXIT, type LoadedCommand } from './context.ts';
import { createMessageRecorder, errorDocument, failureOf, wantsHelp, wantsJson } from './failure.ts';

/**
 * A command of the `paperbot` CLI. To add one, add an entry here whose `load` imports the module
 * and returns its `run` function and `usage` text: `--help`/`-h` anywhere on its command line then
 * prints that usage (exit 0) without running it, a bad option from `parseArgs` exits 2 with the
 * usage, and with `--json` any failure prints `{ "error": { "code", "message" } }` on stdout.
 */
interface CommandEntry {
  /** One line for the overview that `paperbot --help` prints. */
  summary: string;
  /** Imports the command on demand (so `paperbot ask` never loads discord.js). */
  load: () => Promise<LoadedCommand>;
}

const COMMANDS: Record<string, CommandEntry> = {
  ask: {
    summary: 'ask "question" [--json]        answer from the corpus, with citations',
    load: async () => {
      const module = await import('./commands/ask.ts');
      return { run: module.askCommand, usage: module.USAGE };
    },
  },
  search: {
    summary: 'search "query" [--k 10] [--json]  ranked papers with scores',
    load: async () => {
      const module = await import('./commands/search.ts');
      return { run: module.searchCommand, usage: module.USAGE };
    },
  },
  chat: {
    summary: 'chat                           interactive conversation',
    load: async () => {
      const module = await import('./commands/chat.ts');
      return { run: module.chatCommand, usage: module.USAGE };
    },
  },
  index: {
    summary:
      'index build [--corpus f.jsonl] | index verify  (re)build the index from the database, or check it',
    load: async () => {
      const module = await import('./commands/index-build.ts');
      return { run: module.indexCommand, usage: module.USAGE };
    },
  },
  eval: {
    summary: 'eval --beir <dir> [--unanswerable f] [--json]  retrieval and answer quality',
    load: async () => {
      const module = await import('./commands/eval.ts');
      return { run: module.evalCommand, usage: module.USAGE };
    },
  },
  ingest: {
    summary: 'ingest hf|arxiv|file ...         add papers from the live feeds',
    load: async () => {
      const module = await import('./commands/ingest.ts');
      return { run: module.ingestCommand, usage: module.USAGE };
    },
  },
  trending: {
    summary: 'trending [--date d] [--topic t] [--json]  preview the daily digest',
    load: async () => {
      const module = await import('./commands/trending.ts');
      return { run: module.trendingCommand, usage: module.USAGE };
    },
  },
  digest: {
    summary: 'digest send --destination id [--date d]  post a digest now (once, through the ledger)',
    load: async () => {
      const module = await import('./commands/digest.ts');
      return { run: module.digestCommand, usage: module.USAGE };
    },
  },
  papers: {
    summary: 'papers list|show|stats|remove|export  see and manage the corpus',
    load: async () => {
      const module = await import('./commands/papers.ts');
      return { run: module.papersCommand, usage: module.USAGE };
    },
  },
  enrich: {
    summary: 'enrich [ID...] [--dry-run] [--json]  fill arXiv ids, authors, dates by title',
    load: async () => {
      const module = await import('./commands/enrich.ts');
      return { run: module.enrichCommand, usage: module.USAGE };
    },
  },
  serve: {
    summary: 'serve                          run the Slack/Discord bots, scheduler, health',
    load: async () => {
      const module = await import('./commands/serve.ts');
      return { run: module.serveCommand, usage: module.USAGE };
    },
  },
  db: {
    summary: 'db migrate | db copy --to <url>  PostgreSQL schema; copy this deployment to PostgreSQL',
    load: async () => {
      const module = await import('./commands/db.ts');
      return { run: module.dbCommand, usage: module.USAGE };
    },
  },
  discord: {
    summary: 'discord register [--guild id]  register slash commands',
    load: async () => {
      const module = await import('./commands/discord.ts');
      return { run: module.discordCommand, usage: module.USAGE };
    },
  },
};

function usage(): string {
  const lines = Object.values(COMMANDS).map((command) => `  paperbot ${command.summary}`);
  return `Usage:\n${lines.join('\n')}\n  paperbot --version\nRun paperbot <command> --help for a command's options.\n`;
}

function version(): string {
  const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`paperbot ${version()}\n`);
    return EXIT.ok;
  }
  if (!name) {
    process.stderr.write(usage());
    return EXIT.usage;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n${usage()}`);
    return EXIT.usage;
  }
  const json = wantsJson(args);
  const loaded = await command.load();
  if (wantsHelp(args)) {
    process.stdout.write(loaded.usage);
    return EXIT.ok;
  }
  let wroteStdout = false;
  const messages = createMessageRecorder();
  let runtime: Promise<Runtime> | undefined;
  try {
    const config = loadConfig(process.env);
    const logger = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn', undefined, {
      secrets: configSecrets(config),
    });
    const secrets = configSecrets(config);
    const context: CliContext = {
      config,
      logger,
      // No escape sequence, bidi override or configured secret from a feed or a model reaches stdout.
      out: (text) => {
        wroteStdout = true;
        process.stdout.write(safeOutput(text, secrets));
      },
      err: (text) => {
        messages.record(text);
        process.stderr.write(text);
      },
      interactive: Boolean(process.stderr.isTTY),
      runtime: () => {
        // Imported on first use, so `--help` and usage errors never load the models and indexes.
        runtime ??= import('../../src/runtime/create-runtime.ts').then(({ createRuntime }) =>
          createRuntime(config, logger),
        );
        return runtime as Promise<Runtime>;
      },
    };
    const code = await loaded.run(args, context);
    if (code !== EXIT.ok && json && !wroteStdout) {
      const message = messages.last() ?? `paperbot ${name} failed (exit ${code}).`;
      process.stdout.write(errorDocument(code === EXIT.usage ? 'USAGE' : 'FAILED', message));
    }
    return code;
  } catch (error) {
    const failure = failureOf(error);
    const usageHint = failure.exitCode === EXIT.usage ? `\n${loaded.usage}` : '';
    const suffix = failure.code === 'UNEXPECTED' || failure.code === 'USAGE' ? '' : ` [${failure.code}]`;
    process.stderr.write(`paperbot: ${failure.message}${suffix}${usageHint}\n`);
    if (json && !wroteStdout) process.stdout.write(errorDocument(failure.code, failure.message));
    return failure.exitCode;
  } finally {
    if (runtime) await (await runtime.catch(() => undefined))?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const failure = failureOf(error);
    process.stderr.write(`paperbot: ${failure.message}\n`);
    process.exitCode = failure.exitCode;
  },
);
