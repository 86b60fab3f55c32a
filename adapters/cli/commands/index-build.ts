import { parseArgs } from 'node:util';
import { BUNDLED_CORPUS_PATH } from '../../../src/corpus/bundled.ts';
import { loadPapersJsonl } from '../../../src/corpus/jsonl.ts';
import { createEmbeddings } from '../../../src/embeddings/create-embeddings.ts';
import { PaperIndex } from '../../../src/retrieval/paper-index.ts';
import { type CliCommand, EXIT } from '../context.ts';
import { createProgressBar } from '../progress.ts';

export const USAGE = 'Usage: paperbot index build [--corpus <papers.jsonl>] [--json]\n';

/** `paperbot index build`: embeds a corpus and writes a fresh index atomically. */
export const indexCommand: CliCommand = async (args, context) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { corpus: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals[0] !== 'build' || positionals.length > 1) {
    context.err(USAGE);
    return EXIT.usage;
  }
  const corpusPath = values.corpus ?? BUNDLED_CORPUS_PATH;
  const { papers, problems } = loadPapersJsonl(corpusPath);
  for (const problem of problems) context.err(`${corpusPath}:${problem.line}: skipped: ${problem.reason}\n`);
  if (papers.length === 0) {
    context.err(`No usable paper in ${corpusPath}; the index was not changed.\n`);
    return EXIT.failure;
  }
  const embeddings = await createEmbeddings(context.config, { forBuild: true });
  const progress = createProgressBar('Embedding', context.err, context.interactive);
  const started = performance.now();
  const index = await PaperIndex.build(context.config.indexDir, papers, embeddings, {
    onProgress: progress.update,
  });
  progress.finish();
  const seconds = (performance.now() - started) / 1000;
  const summary = {
    indexDir: context.config.indexDir,
    papers: index.size,
    vectors: index.vectorStore.size,
    skippedLines: problems.length,
    embeddingModel: embeddings.modelId,
    seconds: Number(seconds.toFixed(1)),
  };
  if (values.json) context.out(`${JSON.stringify(summary)}\n`);
  else
    context.out(
      `Indexed ${summary.papers} papers (${summary.vectors} passages) with ${summary.embeddingModel} in ${summary.seconds}s -> ${summary.indexDir}\n`,
    );
  return EXIT.ok;
};
