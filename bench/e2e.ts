/**
 * End to end with the offline answerer: warm `ask` latency in process over the dev questions
 * (retrieval and answer stages split), and cold start of the CLI to its first answer.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.ts';
import { silentLogger } from '../src/logger.ts';
import { createRuntime } from '../src/runtime/create-runtime.ts';
import {
  progress,
  type Quantiles,
  quantiles,
  type Series,
  since,
  table,
  writeJson,
  writeSvg,
} from './report.ts';
import { devQuestions, REPOSITORY_ROOT } from './workload.ts';

/** Issue 12's target ("warm offline ask p50 < 30 ms"); the first issue's was 50 ms. */
const TARGET_WARM_P50_MS = 30;
const TARGET_COLD_MS = 3000;

interface ColdRun {
  firstOutputMs: number;
  exitMs: number;
  exitCode: number | null;
}

/** Spawns `argv` under node, resolving with the time to its first stdout byte and to exit. */
function timeProcess(argv: string[], environment: NodeJS.ProcessEnv): Promise<ColdRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let firstOutputMs = Number.NaN;
    const child = spawn(process.execPath, argv, { cwd: REPOSITORY_ROOT, env: environment });
    child.stdout.on('data', () => {
      if (Number.isNaN(firstOutputMs)) firstOutputMs = since(start);
    });
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (exitCode) => resolve({ firstOutputMs, exitMs: since(start), exitCode }));
  });
}

export async function runEndToEnd(options: { coldRuns?: number; rounds?: number } = {}): Promise<void> {
  const coldRuns = options.coldRuns ?? 5;
  const rounds = options.rounds ?? 5;
  const questions = devQuestions();

  progress(`[e2e] warm ask: ${questions.length} dev questions x ${rounds} rounds, offline answerer`);
  const stageTimes = { retrieval: [] as number[], answer: [] as number[] };
  let recording = false;
  const runtime = await createRuntime(loadConfig({}), silentLogger(), {
    onStage: (stage, seconds) => {
      if (recording) stageTimes[stage].push(seconds * 1000);
    },
  });
  for (const question of questions) await runtime.bot.ask(question);
  recording = true;
  const askTimes: number[] = [];
  let declined = 0;
  for (let round = 0; round < rounds; round++) {
    for (const question of questions) {
      const start = performance.now();
      const answer = await runtime.bot.ask(question);
      askTimes.push(since(start));
      if (round === 0 && answer.declined) declined++;
    }
  }
  await runtime.close();
  const warm: Record<'ask' | 'retrieval' | 'answer', Quantiles> = {
    ask: quantiles(askTimes),
    retrieval: quantiles(stageTimes.retrieval),
    answer: quantiles(stageTimes.answer),
  };

  progress(`[e2e] cold start: ${coldRuns} x \`node bin/paperbot.mjs ask ...\``);
  // Blank keys keep the CLI offline even when a .env sets them (dotenv never overrides).
  const environment = { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', LOG_LEVEL: 'silent' };
  const cli = join(REPOSITORY_ROOT, 'bin', 'paperbot.mjs');
  const bareNode = await timeProcess(['-e', ''], environment);
  // tsx caches its TypeScript transforms on disk: the first run after a change pays for them once.
  const firstRun = await timeProcess([cli, 'ask', questions[0]!], environment);
  const cold: ColdRun[] = [];
  for (let run = 0; run < coldRuns; run++) {
    const question = questions[run % questions.length]!;
    cold.push(await timeProcess([cli, 'ask', question], environment));
  }
  const failed = cold.filter((run) => run.exitCode !== 0).length;
  const coldExit = quantiles(cold.map((run) => run.exitMs));
  const coldFirst = quantiles(cold.map((run) => run.firstOutputMs));

  const milliseconds = (value: number) => value.toFixed(1);
  process.stdout.write(
    `\nWarm ask, offline answerer, ${questions.length} dev questions x ${rounds} rounds (ms); ${declined} declined\n`,
  );
  process.stdout.write(
    `${table(
      ['stage', 'p50', 'p95', 'p99', 'mean'],
      (Object.keys(warm) as (keyof typeof warm)[]).map((stage) => [
        stage,
        milliseconds(warm[stage].p50),
        milliseconds(warm[stage].p95),
        milliseconds(warm[stage].p99),
        milliseconds(warm[stage].mean),
      ]),
    )}\nTarget: ask p50 < ${TARGET_WARM_P50_MS} ms -> ${warm.ask.p50 < TARGET_WARM_P50_MS ? 'met' : 'NOT met'}\n`,
  );
  process.stdout.write(
    `\nCold start of the CLI to its answer, ${coldRuns} runs (ms); bare \`node -e ''\` ${milliseconds(bareNode.exitMs)} ms; ` +
      `a first run before them (transform cache maybe cold) ${milliseconds(firstRun.exitMs)} ms; ${failed} failed\n`,
  );
  process.stdout.write(
    `${table(
      ['measure', 'p50', 'max', 'mean'],
      [
        [
          'first output',
          milliseconds(coldFirst.p50),
          milliseconds(Math.max(...cold.map((run) => run.firstOutputMs))),
          milliseconds(coldFirst.mean),
        ],
        [
          'exit',
          milliseconds(coldExit.p50),
          milliseconds(Math.max(...cold.map((run) => run.exitMs))),
          milliseconds(coldExit.mean),
        ],
      ],
    )}\nTarget: < ${TARGET_COLD_MS} ms -> ${Math.max(...cold.map((run) => run.exitMs)) < TARGET_COLD_MS ? 'met on every run' : 'NOT met on every run'}\n`,
  );
  writeJson('e2e', {
    rounds,
    questions: questions.length,
    declined,
    warm,
    cold,
    bareNodeMs: bareNode.exitMs,
  });
  const series: Series[] = [
    { label: 'warm ask', points: askTimes.map((value, position) => [position + 1, value]) },
  ];
  writeSvg('e2e-warm-ask', series, {
    title: 'Warm ask latency, offline answerer (each call in order)',
    xLabel: 'call',
    yLabel: 'ms',
    scatter: true,
  });
}
