/**
 * Writes `corpus/judged-questions.jsonl`, the question memory (see `src/retrieval/question-memory.ts`),
 * from the answerable questions of the fit and calibration sets and their judged papers:
 *
 *   npm run build-question-memory            # write
 *   npm run build-question-memory -- --check # compare with the committed file (exit 1 if different)
 *
 * The fit sets and the calibration sets go in: a report set stays unseen until it has been reported.
 * (Each set is left out of the memory while it is evaluated or calibrated on, by `paperbot eval` and
 * `npm run fit-answerability`.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/corpus/bundled.ts';
import { CALIBRATION_SETS, FIT_SETS } from '../src/evaluation/answerability-fit.ts';
import { loadBeir } from '../src/evaluation/beir.ts';
import type { JudgedQuestion } from '../src/retrieval/question-memory.ts';

export const MEMORY_PATH = join(PACKAGE_ROOT, 'corpus', 'judged-questions.jsonl');

export function judgedQuestions(): JudgedQuestion[] {
  return [...FIT_SETS, ...CALIBRATION_SETS].flatMap((set) => {
    const beir = loadBeir(join(PACKAGE_ROOT, 'tests', 'fixtures', 'eval', set));
    return beir.queries.map((query) => ({
      set,
      id: query.id,
      text: query.text,
      papers: Object.fromEntries(
        [...(beir.qrels.get(query.id) ?? [])]
          .filter(([, grade]) => grade > 0)
          .sort(([left], [right]) => left.localeCompare(right)),
      ),
    }));
  });
}

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const text = judgedQuestions()
  .map((question) => JSON.stringify(question))
  .join('\n')
  .concat('\n');
if (values.check) {
  const same = readFileSync(MEMORY_PATH, 'utf8') === text;
  console.log(
    same ? `${MEMORY_PATH} is up to date.` : `${MEMORY_PATH} differs: run npm run build-question-memory.`,
  );
  process.exit(same ? 0 : 1);
}
writeFileSync(MEMORY_PATH, text);
console.log(`Wrote ${text.split('\n').length - 1} judged questions to ${MEMORY_PATH}.`);
