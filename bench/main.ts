/**
 * `npm run bench [-- <part>] [options]`: benchmarks, not tests (CI does not run them).
 *
 * Parts: retrieval, ann, embedder, e2e; all of them when none is named.
 *   ann options: --n <count> --dim <d> (one configuration), --m, --ef-construction, --efs 10,40,100,
 *                --queries <count>, --json (one JSON document on stdout), --large (adds 1M x 512),
 *                --store hnswlib|pgvector|both (default hnswlib), --database-url <url> (or
 *                DATABASE_URL; for pgvector), --exact-budget-ms <ms> (each native exact scan).
 *   e2e options: --cold-runs <count> (CLI spawns, default 5), --rounds <count> (warm passes, default 5).
 * Progress goes to stderr; tables to stdout; JSON and SVG files to bench/results/.
 */
import { type AnnOptions, type AnnStore, runAnnOne } from './ann.ts';
import { describeAnn, runAnn } from './ann-report.ts';
import { describeMachine, progress, writeJson } from './report.ts';

const PARTS = ['retrieval', 'ann', 'embedder', 'e2e'] as const;
type Part = (typeof PARTS)[number];

interface Arguments {
  parts: Part[];
  flags: Map<string, string | true>;
}

function parseArguments(argv: string[]): Arguments {
  const parts: Part[] = [];
  const flags = new Map<string, string | true>();
  for (let position = 0; position < argv.length; position++) {
    const argument = argv[position]!;
    if (argument.startsWith('--')) {
      const next = argv[position + 1];
      if (next !== undefined && !next.startsWith('--')) {
        flags.set(argument.slice(2), next);
        position++;
      } else {
        flags.set(argument.slice(2), true);
      }
    } else if ((PARTS as readonly string[]).includes(argument)) {
      parts.push(argument as Part);
    } else {
      throw new Error(`unknown part "${argument}"; parts: ${PARTS.join(', ')}`);
    }
  }
  return { parts: parts.length > 0 ? parts : [...PARTS], flags };
}

function numberFlag(flags: Map<string, string | true>, name: string): number | undefined {
  const value = flags.get(name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(parsed) || parsed <= 0) {
    throw new Error(`--${name} needs a positive number`);
  }
  return parsed;
}

const STORES: readonly AnnStore[] = ['hnswlib', 'pgvector', 'both'];

function storeFlag(flags: Map<string, string | true>): AnnStore {
  const value = flags.get('store') ?? 'hnswlib';
  if (typeof value !== 'string' || !(STORES as readonly string[]).includes(value)) {
    throw new Error(`--store "${String(value)}" is not one of ${STORES.join(', ')}`);
  }
  return value as AnnStore;
}

async function runAnnPart(flags: Map<string, string | true>): Promise<void> {
  const databaseUrl = flags.get('database-url');
  if (databaseUrl === true)
    throw new Error('--database-url needs a value: postgres://user@host:port/database');
  const shared: Omit<AnnOptions, 'n' | 'dim'> = {
    store: storeFlag(flags),
    databaseUrl: databaseUrl ?? process.env.DATABASE_URL,
    exactBudgetMs: numberFlag(flags, 'exact-budget-ms'),
    m: numberFlag(flags, 'm'),
    efConstruction: numberFlag(flags, 'ef-construction'),
    queries: numberFlag(flags, 'queries'),
    efs: typeof flags.get('efs') === 'string' ? String(flags.get('efs')).split(',').map(Number) : undefined,
  };
  const n = numberFlag(flags, 'n');
  const dim = numberFlag(flags, 'dim');
  if (n !== undefined || dim !== undefined) {
    const details = await runAnnOne({ ...shared, n: n ?? 10_000, dim: dim ?? 512 });
    writeJson(`ann-n${details.result.n}-d${details.result.dim}`, details);
    if (flags.has('json')) {
      process.stdout.write(`${JSON.stringify(details.result)}\n`);
    } else {
      process.stdout.write(`${describeAnn(details)}\n`);
    }
    return;
  }
  const configurations: AnnOptions[] = [
    { ...shared, n: 10_000, dim: 512 },
    { ...shared, n: 10_000, dim: 1536 },
    { ...shared, n: 100_000, dim: 512 },
    { ...shared, n: 100_000, dim: 1536 },
  ];
  if (flags.has('large')) configurations.push({ ...shared, n: 1_000_000, dim: 512 });
  await runAnn(configurations);
}

async function main(): Promise<void> {
  const { parts, flags } = parseArguments(process.argv.slice(2));
  progress(`paperbot bench: ${parts.join(', ')} on ${describeMachine()}`);
  for (const part of parts) {
    const start = performance.now();
    if (part === 'ann') await runAnnPart(flags);
    if (part === 'retrieval') await (await import('./retrieval.ts')).runRetrieval();
    if (part === 'embedder') await (await import('./embedder.ts')).runEmbedder();
    if (part === 'e2e') {
      await (await import('./e2e.ts')).runEndToEnd({
        coldRuns: numberFlag(flags, 'cold-runs'),
        rounds: numberFlag(flags, 'rounds'),
      });
    }
    progress(`[${part}] done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  }
}

await main();
