// A child process for the Postgres kill -9 test: ingests a JSONL file into PostgreSQL with
// HashingEmbeddings, printing each embedding call on stdout so the parent can kill it mid-way.
//   node bin/run-ts.mjs tests/fakes/ingest-postgres-child.ts <databaseUrl> <papers.jsonl>
// HANG_AT_EMBED=n makes the n-th embedding call never return; BATCH_SIZE papers per transaction.
import { loadPapersJsonl } from '../../src/corpus/jsonl.ts';
import { openPostgres } from '../../src/postgres/connection.ts';
import { ingestIntoPostgres } from '../../src/postgres/ingest-postgres.ts';
import { PostgresPaperRepository } from '../../src/postgres/paper-repository.ts';
import { PgVectorStore } from '../../src/postgres/pg-vector-store.ts';
import { ScriptedEmbeddings } from './scripted-embeddings.ts';

const [databaseUrl, papersPath] = process.argv.slice(2) as [string, string];
const embeddings = new ScriptedEmbeddings();
const pool = await openPostgres(databaseUrl);
const outcome = await ingestIntoPostgres(
  loadPapersJsonl(papersPath).papers,
  {
    repository: new PostgresPaperRepository(pool),
    vectorStore: await PgVectorStore.open(pool, embeddings),
    embeddings,
  },
  { batchSize: Number(process.env.BATCH_SIZE ?? 16) },
);
process.stdout.write(`done ${JSON.stringify({ store: outcome.store, index: outcome.index })}\n`);
await pool.end();
