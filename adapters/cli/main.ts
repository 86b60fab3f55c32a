import 'dotenv/config';
import { loadConfig } from '../../src/config/config.ts';
import { describeError, PaperbotError } from '../../src/errors.ts';
import { createLogger } from '../../src/logger.ts';
import { configSecrets } from '../../src/runtime/secrets.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { type CliCommand, type CliContext, EXIT } from './context.ts';

const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  ask: {
    summary: 'ask "question" [--json]        answer from the corpus, with citations',
    load: async () => (await import('./commands/ask.ts')).askCommand,
  },
  search: {
    summary: 'search "query" [--k 10] [--json]  ranked papers with scores',
    load: async () => (await import('./commands/search.ts')).searchCommand,
  },
  chat: {
    summary: 'chat                           interactive conversation',
    load: async () => (await import('./commands/chat.ts')).chatCommand,
  },
  index: {
    summary: 'index build [--corpus f.jsonl]  (re)build the HNSW index',
    load: async () => (await import('./commands/index-build.ts')).indexCommand,
  },
  eval: {
    summary: 'eval --beir <dir> [--unanswerable f] [--json]  retrieval and answer quality',
    load: async () => (await import('./commands/eval.ts')).evalCommand,
  },
  ingest: {
    summary: 'ingest hf|arxiv|file ...         add papers from the live feeds',
    load: async () => (await import('./commands/ingest.ts')).ingestCommand,
  },
  trending: {
    summary: 'trending [--date d] [--topic t] [--json]  preview the daily digest',
    load: async () => (await import('./commands/trending.ts')).trendingCommand,
  },
  papers: {
    summary: 'papers list|show|stats|remove|export  see and manage the corpus',
    load: async () => (await import('./commands/papers.ts')).papersCommand,
  },
  enrich: {
    summary: 'enrich [ID...] [--dry-run] [--json]  fill arXiv ids, authors, dates by title',
    load: async () => (await import('./commands/enrich.ts')).enrichCommand,
  },
  serve: {
    summary: 'serve                          run the Slack/Discord bots, scheduler, health',
    load: async () => (await import('./commands/serve.ts')).serveCommand,
  },
  discord: {
    summary: 'discord register [--guild id]  register slash commands',
    load: async () => (await import('./commands/discord.ts')).discordCommand,
  },
};

function usage(): string {
  const lines = Object.values(COMMANDS).map((command) => `  paperbot ${command.summary}`);
  return `Usage:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n${usage()}`);
    return EXIT.usage;
  }
  const config = loadConfig(process.env);
  const logger = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn', undefined, {
    secrets: configSecrets(config),
  });
  let runtime: Promise<Runtime> | undefined;
  const context: CliContext = {
    config,
    logger,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    interactive: Boolean(process.stderr.isTTY),
    runtime: () => {
      runtime ??= createRuntime(config, logger);
      return runtime as Promise<Runtime>;
    },
  };
  try {
    return await (await command.load())(args, context);
  } finally {
    if (runtime) await (await runtime.catch(() => undefined))?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const code = error instanceof PaperbotError ? error.code : 'UNEXPECTED';
    process.stderr.write(`paperbot: ${describeError(error)}${code === 'UNEXPECTED' ? '' : ` [${code}]`}\n`);
    process.exitCode = EXIT.failure;
  },
);
