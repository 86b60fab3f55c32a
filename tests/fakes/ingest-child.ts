// A child process for the kill -9 tests: ingests one Hugging Face day into an index built with
// HashingEmbeddings, printing its progress on stdout so the parent can kill it at a chosen point.
//   node bin/run-ts.mjs tests/fakes/ingest-child.ts <indexDir> <seed.jsonl> <hfUrl> <date>
// HANG_AT_EMBED=n makes the n-th embedding call never return (the parent kills the process then).
import { loadPapersJsonl } from '../../src/corpus/jsonl.ts';
import { fetchHuggingFaceDays } from '../../src/ingest/feed-fetch.ts';
import { createHttpClient } from '../../src/ingest/http-client.ts';
import { HuggingFaceClient } from '../../src/ingest/hugging-face-client.ts';
import { ingestPapers } from '../../src/ingest/ingest-papers.ts';
import { PaperIndex } from '../../src/retrieval/paper-index.ts';
import { databasePath, openDatabase } from '../../src/storage/database.ts';
import { PaperStore } from '../../src/storage/paper-store.ts';
import { ScriptedEmbeddings } from './scripted-embeddings.ts';

const [indexDir, seedPath, hfUrl, date] = process.argv.slice(2) as [string, string, string, string];
const embeddings = new ScriptedEmbeddings();
const database = openDatabase(databasePath(indexDir));
const store = new PaperStore(database);
const index = await PaperIndex.open(indexDir, embeddings);
const huggingFace = new HuggingFaceClient({ baseUrl: hfUrl, http: createHttpClient() });
const report = await fetchHuggingFaceDays(huggingFace, [date]);
process.stdout.write(`fetched ${report.papers.length}\n`);
const outcome = await ingestPapers(
  report.papers,
  { store, index, seedCorpus: () => loadPapersJsonl(seedPath).papers },
  {
    batchSize: Number(process.env.BATCH_SIZE ?? 256),
    onProgress: (done, total) => process.stdout.write(`progress ${done}/${total}\n`),
  },
);
process.stdout.write(`done ${JSON.stringify(outcome.index)}\n`);
database.close();
