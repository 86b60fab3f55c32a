/**
 * Measures every evaluation set the way users get answers (`paperbot eval --beir <set> --json`, one
 * child process per set, offline, hybrid) and writes the figures the test floors read:
 *
 *   npm run measure-eval              # measure, print the README rows, write tests/fixtures/eval/measured.json
 *   npm run measure-eval -- --check   # measure and compare with the committed file (exit 1 if a figure moved)
 *
 * `tests/cli/cli.test.ts` keeps each set within one question of `measured.json`. After a change to
 * retrieval or the score (and `npm run fit-answerability`), rerun this and commit the file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/corpus/bundled.ts';
import { EVAL_SETS } from '../src/evaluation/answerability-fit.ts';
import type { EvalReport } from '../src/evaluation/evaluate.ts';

export const MEASURED_PATH = join(PACKAGE_ROOT, 'tests', 'fixtures', 'eval', 'measured.json');

/** Figures of one set, as counts of questions (what the floors compare). */
export interface MeasuredSet {
  /** Answerable questions. */
  queries: number;
  /** Unanswerable questions. */
  unanswerable: number;
  /** Retrieval figures, as `eval --json` reports them. */
  ndcg10: number;
  recall10: number;
  mrr10: number;
  /** Unanswerable questions declined or uncertain. */
  flagged: number;
  /** Unanswerable questions declined. */
  declined: number;
  /** Answerable questions declined. */
  answerableDeclined: number;
  /** Answerable questions flagged uncertain. */
  answerableUncertain: number;
  /** Share of answers whose citations are all valid. */
  validCitationShare: number;
}

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });

const measured: Record<string, MeasuredSet> = {};
for (const set of EVAL_SETS) {
  const dir = join(PACKAGE_ROOT, 'tests', 'fixtures', 'eval', set);
  const stdout = execFileSync(
    process.execPath,
    [join(PACKAGE_ROOT, 'bin', 'paperbot.mjs'), 'eval', '--beir', dir, '--json'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const report = JSON.parse(stdout) as EvalReport;
  const count = (share: number | null, total: number) => Math.round((share ?? 0) * total);
  measured[set] = {
    queries: report.queries,
    unanswerable: report.unanswerable,
    ndcg10: report.ndcg10,
    recall10: report.recall10,
    mrr10: report.mrr10,
    flagged: count((report.declinedShare ?? 0) + (report.uncertainShare ?? 0), report.unanswerable),
    declined: count(report.declinedShare, report.unanswerable),
    answerableDeclined: count(report.falseDeclineShare, report.queries),
    answerableUncertain: count(report.answerableUncertainShare, report.queries),
    validCitationShare: report.validCitationShare,
  };
  const m = measured[set];
  console.log(
    `| ${set} | ${m.ndcg10.toFixed(3)} | ${m.recall10.toFixed(3)} | ${m.mrr10.toFixed(3)} | ${m.declined} + ${m.flagged - m.declined} = ${m.flagged}/${m.unanswerable} | ${m.answerableDeclined}/${m.queries} | ${m.answerableUncertain}/${m.queries} | ${(m.validCitationShare * 100).toFixed(0)}% |`,
  );
}
const text = `${JSON.stringify(measured, null, 2)}\n`;
if (values.check) {
  if (readFileSync(MEASURED_PATH, 'utf8') !== text) {
    console.error(
      `${MEASURED_PATH} differs from a new measurement: run \`npm run measure-eval\` and commit it.`,
    );
    process.exit(1);
  }
  console.log(`${MEASURED_PATH} matches.`);
} else {
  writeFileSync(MEASURED_PATH, text);
  console.log(`wrote ${MEASURED_PATH}`);
}
