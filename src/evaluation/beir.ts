import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Paper } from '../corpus/paper.ts';
import { PaperbotError } from '../errors.ts';

export interface EvalQuery {
  id: string;
  text: string;
}

/** A BEIR-format evaluation set: queries, graded judgments and, optionally, its own corpus. */
export interface BeirSet {
  queries: EvalQuery[];
  qrels: Map<string, Map<string, number>>;
  /** Papers of `corpus.jsonl` when the directory has one. */
  corpus?: Paper[];
}

function readJsonl(path: string): unknown[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((line, index) => ({ line, number: index + 1 }))
    .filter(({ line }) => line.trim())
    .map(({ line, number }) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new PaperbotError('EVAL_INVALID', `${path}:${number} is not valid JSON.`);
      }
    });
}

/** Reads `queries.jsonl` (`_id`, `text`) from a file. */
export function readQueries(path: string): EvalQuery[] {
  if (!existsSync(path)) throw new PaperbotError('EVAL_INVALID', `Queries file ${path} not found.`);
  return readJsonl(path).map((value, index) => {
    const record = value as { _id?: unknown; text?: unknown };
    if (typeof record._id !== 'string' || typeof record.text !== 'string') {
      throw new PaperbotError('EVAL_INVALID', `${path}:${index + 1} needs string "_id" and "text".`);
    }
    return { id: record._id, text: record.text };
  });
}

/** Loads `queries.jsonl`, `qrels/test.tsv` and, when present, `corpus.jsonl` from a BEIR directory. */
export function loadBeir(dir: string): BeirSet {
  const queries = readQueries(join(dir, 'queries.jsonl'));
  const qrelsPath = join(dir, 'qrels', 'test.tsv');
  if (!existsSync(qrelsPath))
    throw new PaperbotError('EVAL_INVALID', `Judgments file ${qrelsPath} not found.`);
  const qrels = new Map<string, Map<string, number>>();
  for (const line of readFileSync(qrelsPath, 'utf8').split(/\r?\n/)) {
    const [queryId, corpusId, score] = line.split('\t');
    if (!queryId || !corpusId || score === undefined || queryId === 'query-id') continue;
    const grade = Number(score);
    if (!Number.isFinite(grade)) continue;
    let judgments = qrels.get(queryId);
    if (!judgments) {
      judgments = new Map();
      qrels.set(queryId, judgments);
    }
    judgments.set(corpusId, grade);
  }
  const corpusPath = join(dir, 'corpus.jsonl');
  const corpus = existsSync(corpusPath)
    ? readJsonl(corpusPath).map((value) => {
        const record = value as { _id: string; title?: string; text?: string };
        return {
          id: String(record._id),
          title: record.title || String(record._id),
          abstract: record.text ?? '',
        };
      })
    : undefined;
  return { queries: queries.filter((query) => qrels.has(query.id)), qrels, corpus };
}
