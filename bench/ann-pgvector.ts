/**
 * pgvector side of the ANN benchmark: loads the same synthetic vectors into a `vector(dim)`
 * column, times an exact sequential scan, builds an HNSW index with the same M and
 * efConstruction as hnswlib, and measures recall@10, queries per second and CPU per query for
 * several `hnsw.ef_search`. CPU is counted on both sides: this Node process (`process.cpuUsage`,
 * i.e. the pg client) and the server backend serving the connection (`/proc/<pid>/stat` of
 * `pg_backend_pid()`, readable when the server runs on this machine).
 *
 * Vectors travel in pgvector's binary format (int16 dim, int16 0, float4 big-endian), not as text.
 * Parallel workers are off, so one backend does all the server work, as one thread does in hnswlib.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { redactUrl } from '../src/postgres/connection.ts';
import { type AtRecall, atRecall, countHits, type ExactMeasure, K, processCpuMs } from './ann-exact.ts';
import { progress, since } from './report.ts';

export interface PgvectorOptions {
  databaseUrl: string;
  /** Row-major unit vectors. */
  data: Float32Array;
  dim: number;
  queries: Float32Array[];
  /** Exact top-10 labels per query (the JS loop), labels = row numbers = `id`. */
  truth: number[][];
  m: number;
  efConstruction: number;
  efs: number[];
  /** Wall-time budget of the exact sequential scan, in ms. */
  exactBudgetMs: number;
  /** Drop the table at the end (default true). */
  dropTable?: boolean;
}

export interface PgvectorRow {
  ef: number;
  recall10: number;
  qps: number;
  /** CPU of this Node process (pg client) per query, ms. */
  nodeCpuMsPerQuery: number;
  /** CPU of the server backend per query, ms; null when /proc of the backend is not readable. */
  serverCpuMsPerQuery: number | null;
  /** Sum of the two (Node only when the server's is unknown). */
  cpuMsPerQuery: number;
  /** QPS over the sequential scan's QPS. */
  speedupOverExact: number;
}

export interface PgvectorResult {
  serverVersion: string;
  pgvectorVersion: string;
  /** Whether the backend's CPU could be read (server on this machine). */
  serverCpuCounted: boolean;
  insertSeconds: number;
  /** Wall time of `CREATE INDEX ... USING hnsw`, one backend, no parallel workers. */
  buildSeconds: number;
  /** Backend CPU seconds spent building the index (null when not readable). */
  buildServerCpuSeconds: number | null;
  /** `pg_table_size`: heap + TOAST + free-space and visibility maps. */
  tableBytes: number;
  /** `pg_relation_size` of the HNSW index. */
  indexBytes: number;
  diskBytes: number;
  /** Sequential scan (`ORDER BY embedding <=> q LIMIT 10`, no index). */
  exact: ExactMeasure & { nodeCpuMsPerQuery: number; serverCpuMsPerQuery: number | null };
  rows: PgvectorRow[];
  atRecall95: AtRecall;
}

/** pgvector's binary input format (`vector_recv`). */
export function encodeVector(vector: Float32Array): Buffer {
  const buffer = Buffer.allocUnsafe(4 + 4 * vector.length);
  buffer.writeInt16BE(vector.length, 0);
  buffer.writeInt16BE(0, 2);
  for (let position = 0; position < vector.length; position++) {
    buffer.writeFloatBE(vector[position]!, 4 + 4 * position);
  }
  return buffer;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU ms (user + system) of a local process, or null when its /proc entry is not readable. */
export function readProcessCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name, field 3 (state) is at index 0: utime is field 14, stime field 15.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

/** True when `pid` is a postgres process on this machine (the server is local). */
function isLocalBackend(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres') && readProcessCpuMs(pid) !== null;
  } catch {
    return false;
  }
}

async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `pgvector bench: cannot connect to ${redactUrl(databaseUrl)} (${(error as Error).message}); ` +
        'start a PostgreSQL server with the pgvector extension and pass --database-url or DATABASE_URL',
    );
  }
  return client;
}

async function expectPlan(client: pg.Client, sql: string, probe: Buffer, needle: string): Promise<void> {
  const plan = (await client.query(`EXPLAIN ${sql}`, [probe])).rows
    .map((row: Record<string, string>) => Object.values(row)[0])
    .join('\n');
  if (!plan.includes(needle))
    throw new Error(`pgvector bench: expected a plan with "${needle}", got:\n${plan}`);
}

interface Timed {
  qps: number;
  recall10: number;
  queries: number;
  nodeCpuMsPerQuery: number;
  serverCpuMsPerQuery: number | null;
}

/** Runs queries one at a time: whole passes until `minimumMs`, or (with `budgetMs`) until the budget. */
async function timeQueries(
  client: pg.Client,
  backendPid: number | null,
  sql: string,
  name: string,
  queries: Buffer[],
  truth: number[][],
  mode: { minimumMs: number } | { budgetMs: number },
): Promise<Timed> {
  let done = 0;
  let hits = 0;
  const serverStart = backendPid === null ? null : readProcessCpuMs(backendPid);
  const nodeStart = processCpuMs();
  const start = performance.now();
  for (;;) {
    const position = done % queries.length;
    const result = await client.query({ name, text: sql, values: [queries[position]] });
    if (done < queries.length) {
      hits += countHits(
        truth[position]!,
        result.rows.map((row: { id: number }) => row.id),
      );
    }
    done++;
    if ('budgetMs' in mode) {
      if (done >= queries.length || (done >= 5 && since(start) >= mode.budgetMs)) break;
    } else if (done % queries.length === 0 && since(start) >= mode.minimumMs) {
      break;
    }
  }
  const seconds = since(start) / 1000;
  const nodeCpuMsPerQuery = (processCpuMs() - nodeStart) / done;
  const serverEnd = backendPid === null ? null : readProcessCpuMs(backendPid);
  const serverCpuMsPerQuery =
    serverStart === null || serverEnd === null ? null : (serverEnd - serverStart) / done;
  return {
    qps: done / seconds,
    recall10: hits / (Math.min(done, queries.length) * K),
    queries: done,
    nodeCpuMsPerQuery,
    serverCpuMsPerQuery,
  };
}

export async function runPgvector(options: PgvectorOptions): Promise<PgvectorResult> {
  const { data, dim, m, efConstruction } = options;
  const count = data.length / dim;
  const table = `paperbot_bench_ann_${count}_${dim}`;
  const client = await connect(options.databaseUrl);
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS vector');
    const serverVersion = String((await client.query('SHOW server_version')).rows[0].server_version);
    const pgvectorVersion = String(
      (await client.query("SELECT extversion FROM pg_extension WHERE extname = 'vector'")).rows[0].extversion,
    );
    const pid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    const serverCpuCounted = isLocalBackend(pid);
    const backendPid = serverCpuCounted ? pid : null;
    if (!serverCpuCounted) progress('  pgvector: backend /proc not readable, only Node CPU is counted');
    // Enough maintenance memory for the whole graph (or the build slows down), one backend only.
    const graphMegabytes = Math.ceil((count * (dim * 4 + 8 * m * 2 + 64) * 1.5) / 2 ** 20);
    await client.query(`SET maintenance_work_mem = '${Math.max(256, graphMegabytes)}MB'`);
    await client.query('SET max_parallel_maintenance_workers = 0');
    await client.query('SET max_parallel_workers_per_gather = 0');

    progress(`  pgvector ${serverVersion} / ${pgvectorVersion}: loading ${count} rows into ${table}...`);
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.query(`CREATE TABLE ${table} (id integer NOT NULL, embedding vector(${dim}) NOT NULL)`);
    let start = performance.now();
    const batch = 250;
    await client.query('BEGIN');
    for (let first = 0; first < count; first += batch) {
      const last = Math.min(count, first + batch);
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let row = first; row < last; row++) {
        tuples.push(`($${values.length + 1}, $${values.length + 2}::vector)`);
        values.push(row, encodeVector(data.subarray(row * dim, (row + 1) * dim)));
      }
      await client.query(`INSERT INTO ${table} (id, embedding) VALUES ${tuples.join(', ')}`, values);
    }
    await client.query('COMMIT');
    const insertSeconds = since(start) / 1000;
    await client.query(`VACUUM ANALYZE ${table}`);

    const sql = `SELECT id FROM ${table} ORDER BY embedding <=> $1::vector LIMIT ${K}`;
    const queries = options.queries.map(encodeVector);
    const probe = queries[0]!;
    progress(`  pgvector: exact sequential scan (budget ${options.exactBudgetMs / 1000} s)...`);
    await expectPlan(client, sql, probe, 'Seq Scan');
    const exactTimed = await timeQueries(client, backendPid, sql, 'ann_exact', queries, options.truth, {
      budgetMs: options.exactBudgetMs,
    });
    const exact = {
      ...exactTimed,
      cpuMsPerQuery: exactTimed.nodeCpuMsPerQuery + (exactTimed.serverCpuMsPerQuery ?? 0),
    };

    progress(`  pgvector: CREATE INDEX USING hnsw (m ${m}, ef_construction ${efConstruction})...`);
    const buildCpuStart = backendPid === null ? null : readProcessCpuMs(backendPid);
    start = performance.now();
    await client.query(
      `CREATE INDEX ${table}_hnsw ON ${table} USING hnsw (embedding vector_cosine_ops) ` +
        `WITH (m = ${m}, ef_construction = ${efConstruction})`,
    );
    const buildSeconds = since(start) / 1000;
    const buildCpuEnd = backendPid === null ? null : readProcessCpuMs(backendPid);
    const sizes = (
      await client.query(
        `SELECT pg_table_size('${table}') AS table_bytes, pg_relation_size('${table}_hnsw') AS index_bytes`,
      )
    ).rows[0];
    const tableBytes = Number(sizes.table_bytes);
    const indexBytes = Number(sizes.index_bytes);

    // Small tables would be scanned sequentially: the index scan is what is measured here.
    await client.query('SET enable_seqscan = off');
    await expectPlan(client, sql, probe, `${table}_hnsw`);
    const rows: PgvectorRow[] = [];
    for (const ef of options.efs) {
      // pgvector returns at most ef_search rows: never below K.
      await client.query(`SET hnsw.ef_search = ${Math.max(ef, K)}`);
      const timed = await timeQueries(client, backendPid, sql, `ann_ef_${ef}`, queries, options.truth, {
        minimumMs: 1000,
      });
      rows.push({
        ef,
        recall10: timed.recall10,
        qps: timed.qps,
        nodeCpuMsPerQuery: timed.nodeCpuMsPerQuery,
        serverCpuMsPerQuery: timed.serverCpuMsPerQuery,
        cpuMsPerQuery: timed.nodeCpuMsPerQuery + (timed.serverCpuMsPerQuery ?? 0),
        speedupOverExact: timed.qps / exact.qps,
      });
      progress(`  pgvector ef ${ef}: recall ${timed.recall10.toFixed(4)}, ${Math.round(timed.qps)} QPS`);
    }
    return {
      serverVersion,
      pgvectorVersion,
      serverCpuCounted,
      insertSeconds,
      buildSeconds,
      buildServerCpuSeconds:
        buildCpuStart === null || buildCpuEnd === null ? null : (buildCpuEnd - buildCpuStart) / 1000,
      tableBytes,
      indexBytes,
      diskBytes: tableBytes + indexBytes,
      exact,
      rows,
      atRecall95: atRecall(rows, 0.95),
    };
  } finally {
    if (options.dropTable ?? true) await client.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await client.end();
  }
}
