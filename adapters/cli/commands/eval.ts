import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Answerer } from '../../../src/answering/answerer.ts';
import { buildAnswerers } from '../../../src/answering/build-answerer.ts';
import { createBot } from '../../../src/bot.ts';
import { createEmbeddings } from '../../../src/embeddings/create-embeddings.ts';
import { loadBeir, readQueries } from '../../../src/evaluation/beir.ts';
import { evaluate } from '../../../src/evaluation/evaluate.ts';
import { HybridRetriever } from '../../../src/retrieval/hybrid-retriever.ts';
import { PaperIndex } from '../../../src/retrieval/paper-index.ts';
import type { SearchCorpus } from '../../../src/retrieval/search-corpus.ts';
import { type CliCommand, EXIT } from '../context.ts';
import { createProgressBar } from '../progress.ts';

export const USAGE =
  'Usage: paperbot eval --beir <dir> [--unanswerable <file.jsonl>] [--mode hybrid|lexical|dense] [--answerer offline|llm] [--details] [--json]\n' +
  '  --unanswerable defaults to <dir>/unanswerable.jsonl when that file exists.\n' +
  '  --answerer llm uses the OpenAI-compatible model of OPENAI_API_KEY / OPENAI_BASE_URL / OPENAI_CHAT_MODEL.\n';

/** `paperbot eval`: retrieval and answer quality on a BEIR-format set. */
export const evalCommand: CliCommand = async (args, context) => {
  const { values } = parseArgs({
    args,
    options: {
      beir: { type: 'string' },
      unanswerable: { type: 'string' },
      mode: { type: 'string', default: 'hybrid' },
      answerer: { type: 'string', default: 'offline' },
      details: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const mode = values.mode as 'hybrid' | 'lexical' | 'dense';
  const kind = values.answerer as 'offline' | 'llm';
  if (!values.beir || !['hybrid', 'lexical', 'dense'].includes(mode) || !['offline', 'llm'].includes(kind)) {
    context.err(USAGE);
    return EXIT.usage;
  }
  const set = loadBeir(values.beir);
  const defaultUnanswerable = join(values.beir, 'unanswerable.jsonl');
  const unanswerablePath =
    values.unanswerable ?? (existsSync(defaultUnanswerable) ? defaultUnanswerable : undefined);
  const unanswerable = unanswerablePath ? readQueries(unanswerablePath) : [];
  let temporaryDir: string | undefined;
  let memory: { questions: number; leftOut: number } | undefined;
  try {
    let retriever: HybridRetriever;
    let answerer: Answerer;
    let corpus: SearchCorpus;
    if (set.corpus) {
      // A set with its own corpus gets a throwaway index; the configured one is never touched.
      temporaryDir = mkdtempSync(join(tmpdir(), 'paperbot-eval-'));
      const embeddings = await createEmbeddings(context.config);
      const progress = createProgressBar('Indexing eval corpus', context.err, context.interactive);
      const index = await PaperIndex.build(temporaryDir, set.corpus, embeddings, {
        onProgress: progress.update,
      });
      progress.finish();
      retriever = new HybridRetriever(index, { embedTimeoutMs: 60_000 });
      corpus = index;
      answerer = buildAnswerers({
        config: context.config,
        index,
        embeddingModel: embeddings.modelId,
        kind,
      }).answerer;
    } else {
      const runtime = await context.runtime();
      // The judged questions of this set (by its directory's name, or by their text) are left out
      // of the question memory, so the set is measured as questions retrieval has not seen.
      const questionMemory = runtime.questionMemory?.leavingOut(
        [basename(resolve(values.beir))],
        [...set.queries, ...unanswerable].map((query) => query.text),
      );
      if (questionMemory && runtime.questionMemory) {
        memory = {
          questions: questionMemory.size,
          leftOut: runtime.questionMemory.size - questionMemory.size,
        };
      }
      retriever = new HybridRetriever(runtime.corpus, { embedTimeoutMs: 60_000, memory: questionMemory });
      corpus = runtime.corpus;
      answerer = buildAnswerers({
        config: context.config,
        index: runtime.corpus,
        embeddingModel: runtime.embeddings.modelId,
        memory: questionMemory,
        logger: runtime.logger,
        kind,
      }).answerer;
    }
    // Answers come the way users get them: through the bot (chat routing, named papers, dates) in
    // front of the same answerer. Only a single-retriever mode asks the answerer directly.
    const bot = createBot({ retriever, answerer, catalog: corpus, paperCount: () => corpus.size });
    const progress = createProgressBar('Evaluating', context.err, context.interactive);
    const report = await evaluate({
      retriever,
      answerer,
      ask: mode === 'hybrid' ? (question) => bot.ask(question) : undefined,
      set,
      unanswerable,
      mode,
      onProgress: progress.update,
      details: values.details,
    });
    progress.finish();
    if (values.json) {
      context.out(`${JSON.stringify(memory ? { ...report, memory } : report)}\n`);
    } else {
      const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);
      context.out(
        [
          `Queries: ${report.queries} answerable, ${report.unanswerable} unanswerable (retrieval: ${report.mode})`,
          ...(memory
            ? [
                `Question memory: ${memory.questions} judged questions (${memory.leftOut} of this set left out)`,
              ]
            : []),
          `nDCG@10    ${report.ndcg10.toFixed(3)}`,
          `Recall@10  ${report.recall10.toFixed(3)} (of the most relevant papers only: ${report.recall10TopGrade.toFixed(3)})`,
          `MRR@10     ${report.mrr10.toFixed(3)}`,
          `Unanswerable declined        ${percent(report.declinedShare)}`,
          `Unanswerable uncertain       ${percent(report.uncertainShare)}`,
          `Answerable uncertain         ${percent(report.answerableUncertainShare)}`,
          `Answerable wrongly declined  ${percent(report.falseDeclineShare)}`,
          `Answers with valid citations ${percent(report.validCitationShare)}`,
          '',
        ].join('\n'),
      );
      if (report.perQuery) for (const row of report.perQuery) context.out(`${JSON.stringify(row)}\n`);
      if (report.unanswerableDetails) {
        for (const row of report.unanswerableDetails) context.out(`${JSON.stringify(row)}\n`);
      }
      if (report.declinedIds) context.out(`declined unanswerable: ${report.declinedIds.join(' ')}\n`);
    }
    return EXIT.ok;
  } finally {
    if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
  }
};
