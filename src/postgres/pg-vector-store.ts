import { Document, type DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { VectorStore } from '@langchain/core/vectorstores';
import type pg from 'pg';
import { PaperbotError } from '../errors.ts';
import type { ChunkDocument, ChunkMetadata } from '../retrieval/hnsw-vector-store.ts';
import { REBUILD_COMMAND } from '../retrieval/index-manifest.ts';
import { inTransaction } from './transaction.ts';

/** pgvector's largest `hnsw.ef_search`. */
const MAX_EF_SEARCH = 1000;
/** `hnsw.ef_search` used for small k (pgvector's default is 40; ours matches hnswlib's 100). */
const MIN_EF_SEARCH = 100;
/** Rows per INSERT. */
const WRITE_BATCH = 256;

/**
 * LangChain `VectorStore` over a pgvector table `passages (paper_id, chunk, content, content_hash,
 * embedding vector(dimensions))` with an HNSW cosine index. Scores are cosine similarity. A query
 * for k rows sets `hnsw.ef_search` to at least k for its transaction: pgvector's HNSW scan
 * returns at most ef_search rows. Ids are the table's row ids.
 */
export class PgVectorStore extends VectorStore {
  declare FilterType: { paperIds?: string[] };

  constructor(
    embeddings: EmbeddingsInterface,
    private readonly pool: pg.Pool,
    /** Length of every vector (the `vector(n)` column's n). */
    readonly dimensions: number,
  ) {
    super(embeddings, {});
  }

  _vectorstoreType(): string {
    return 'pgvector-paperbot';
  }

  /**
   * Opens the store, creating the passages table and its HNSW index for `dimensions` when absent.
   * Throws INDEX_MISMATCH when the table holds vectors of another length or another model.
   */
  static async open(
    pool: pg.Pool,
    embeddings: EmbeddingsInterface & { readonly modelId: string; readonly dimensions: number },
  ): Promise<PgVectorStore> {
    const dimensions = embeddings.dimensions;
    const { tableDimensions, storedModel } = await inTransaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(7315002)');
      await client.query(
        `CREATE TABLE IF NOT EXISTS passages (
           id BIGSERIAL PRIMARY KEY,
           paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
           chunk INTEGER NOT NULL,
           content TEXT NOT NULL,
           content_hash TEXT NOT NULL DEFAULT '',
           embedding vector(${Number(dimensions)}) NOT NULL,
           UNIQUE (paper_id, chunk)
         )`,
      );
      await client.query(
        `CREATE INDEX IF NOT EXISTS passages_embedding_hnsw ON passages
           USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 200)`,
      );
      const { rows } = await client.query<{ dimensions: number }>(
        `SELECT atttypmod AS dimensions FROM pg_attribute
         WHERE attrelid = 'passages'::regclass AND attname = 'embedding'`,
      );
      const model = await client.query<{ value: string }>(
        `INSERT INTO paperbot_settings (key, value) VALUES ('embedding_model', $1)
         ON CONFLICT (key) DO UPDATE SET value = paperbot_settings.value RETURNING value`,
        [embeddings.modelId],
      );
      return { tableDimensions: rows[0]?.dimensions, storedModel: model.rows[0]?.value };
    });
    if (tableDimensions !== dimensions || storedModel !== embeddings.modelId) {
      throw new PaperbotError(
        'INDEX_MISMATCH',
        `The PostgreSQL passages were embedded with ${storedModel} (${tableDimensions} dimensions), but the configured model is ${embeddings.modelId} (${dimensions}). ` +
          `Set PAPERBOT_EMBEDDINGS to the model that built them, or drop the passages table and run \`${REBUILD_COMMAND}\`.`,
      );
    }
    return new PgVectorStore(embeddings, pool, dimensions);
  }

  /** Number of stored passages. */
  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM passages');
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Stores vectors with their documents (`metadata.paperId`, `metadata.chunk`, optional
   * `metadata.contentHash`); a (paper, chunk) already stored is replaced. Returns the row ids.
   */
  async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<string[]> {
    return this.insert(this.pool, vectors, documents);
  }

  /**
   * Replaces every passage of `paperIds` with the given vectors and documents in one transaction,
   * so a paper never has half old and half new passages, even if the process dies mid-way.
   */
  async replacePapers(
    paperIds: string[],
    vectors: number[][],
    documents: DocumentInterface[],
  ): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM passages WHERE paper_id = ANY($1::text[])', [paperIds]);
      await this.insert(client, vectors, documents);
    });
  }

  private async insert(
    queryable: pg.Pool | pg.PoolClient,
    vectors: number[][],
    documents: DocumentInterface[],
  ): Promise<string[]> {
    if (vectors.length !== documents.length) {
      throw new Error(`addVectors: ${vectors.length} vectors for ${documents.length} documents`);
    }
    const ids: string[] = [];
    for (let start = 0; start < vectors.length; start += WRITE_BATCH) {
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let position = start; position < Math.min(start + WRITE_BATCH, vectors.length); position++) {
        const vector = vectors[position] as number[];
        if (vector.length !== this.dimensions) {
          throw new Error(
            `addVectors: vector of ${vector.length} dimensions, the store has ${this.dimensions}`,
          );
        }
        const document = documents[position] as DocumentInterface<
          Partial<ChunkMetadata> & { contentHash?: string }
        >;
        const base = values.length;
        values.push(
          String(document.metadata.paperId),
          Number(document.metadata.chunk ?? 0),
          document.pageContent,
          document.metadata.contentHash ?? '',
          vectorLiteral(vector),
        );
        tuples.push(`($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}::vector)`);
      }
      const { rows } = await queryable.query<{ id: string }>(
        `INSERT INTO passages (paper_id, chunk, content, content_hash, embedding) VALUES ${tuples.join(', ')}
         ON CONFLICT (paper_id, chunk) DO UPDATE SET content = EXCLUDED.content,
           content_hash = EXCLUDED.content_hash, embedding = EXCLUDED.embedding
         RETURNING id`,
        values,
      );
      ids.push(...rows.map((row) => String(row.id)));
    }
    return ids;
  }

  async addDocuments(documents: DocumentInterface[]): Promise<string[]> {
    const vectors = await this.embeddings.embedDocuments(documents.map((document) => document.pageContent));
    return this.addVectors(vectors, documents);
  }

  async similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: this['FilterType'],
  ): Promise<[ChunkDocument, number][]> {
    const limit = Math.min(Math.max(1, Math.floor(k)), MAX_EF_SEARCH);
    const rows = await inTransaction(this.pool, async (client) => {
      // SET cannot take a bind parameter; `limit` is an integer we computed.
      await client.query(`SET LOCAL hnsw.ef_search = ${Math.max(limit, MIN_EF_SEARCH)}`);
      const where = filter?.paperIds ? 'WHERE paper_id = ANY($3::text[])' : '';
      const parameters: unknown[] = [vectorLiteral(query), limit];
      if (filter?.paperIds) parameters.push(filter.paperIds);
      const result = await client.query<{
        paper_id: string;
        chunk: number;
        content: string;
        distance: number;
      }>(
        `SELECT paper_id, chunk, content, embedding <=> $1::vector AS distance FROM passages ${where}
         ORDER BY embedding <=> $1::vector LIMIT $2`,
        parameters,
      );
      return result.rows;
    });
    return rows.map((row) => [
      new Document({ pageContent: row.content, metadata: { paperId: row.paper_id, chunk: row.chunk } }),
      1 - Number(row.distance),
    ]);
  }

  /** Removes passages by the ids `addVectors` returned, or every passage of the given papers. */
  override async delete(params: { ids?: string[]; paperIds?: string[] }): Promise<void> {
    if (params.ids?.length) {
      await this.pool.query('DELETE FROM passages WHERE id = ANY($1::bigint[])', [params.ids]);
    }
    if (params.paperIds?.length) {
      await this.pool.query('DELETE FROM passages WHERE paper_id = ANY($1::text[])', [params.paperIds]);
    }
  }

  /** paper id -> content hash its passages were embedded from (papers without passages are absent). */
  async embeddedHashes(): Promise<Map<string, string>> {
    const { rows } = await this.pool.query<{ paper_id: string; content_hash: string }>(
      'SELECT paper_id, MIN(content_hash) AS content_hash FROM passages GROUP BY paper_id',
    );
    return new Map(rows.map((row) => [row.paper_id, row.content_hash]));
  }
}

/** pgvector's text form of a vector: `[0.1,0.2,...]`. */
function vectorLiteral(vector: readonly number[]): string {
  for (const value of vector) {
    if (!Number.isFinite(value)) throw new Error(`vector holds a non-finite value (${value})`);
  }
  return `[${vector.join(',')}]`;
}
