import type pg from 'pg';
import type { Answerer } from '../answering/answerer.ts';
import { buildAnswerers } from '../answering/build-answerer.ts';
import { OpenAISummarizer } from '../answering/openai-summarizer.ts';
import { OpenAITopicJudge } from '../answering/openai-topic-judge.ts';
import { createBot } from '../bot.ts';
import type { Bot } from '../bot-types.ts';
import type { Config } from '../config/config.ts';
import { type Leadership, type LeadershipEvents, soleLeader } from '../coordination/leadership.ts';
import type { Paper } from '../corpus/paper.ts';
import { createEmbeddings } from '../embeddings/create-embeddings.ts';
import type { PaperEmbeddings } from '../embeddings/types.ts';
import { type IngestOutcome, ingestPapers } from '../ingest/ingest-papers.ts';
import type { Logger } from '../logger.ts';
import { openPostgres } from '../postgres/connection.ts';
import { ingestIntoPostgres } from '../postgres/ingest-postgres.ts';
import { createLeaderElection } from '../postgres/leader-election.ts';
import { PostgresCorpus } from '../postgres/postgres-corpus.ts';
import { postgresUnsupported } from '../postgres/unsupported.ts';
import { HybridRetriever } from '../retrieval/hybrid-retriever.ts';
import { PaperIndex } from '../retrieval/paper-index.ts';
import { openQuestionMemory, type QuestionMemory } from '../retrieval/question-memory.ts';
import type { SearchCorpus } from '../retrieval/search-corpus.ts';
import type { Retriever } from '../retrieval/types.ts';
import { databasePath, openDatabase, type SqliteDatabase } from '../storage/database.ts';
import { PaperStore } from '../storage/paper-store.ts';
import { createTrendingService, type TrendingService } from '../trending/trending-service.ts';
import { type StageObserver, timedAnswerer, timedRetriever } from './stage-timing.ts';
import { createStores, type Stores } from './stores.ts';

/** The composed core of one process: built once by an entry point, closed on exit. */
export interface Runtime {
  config: Config;
  logger: Logger;
  embeddings: PaperEmbeddings;
  /**
   * The embedded index (hnswlib + BM25 under `PAPERBOT_INDEX_DIR`). With `DATABASE_URL` set
   * there is none: reading this throws STORAGE_UNSUPPORTED; use `corpus`.
   */
  index: PaperIndex;
  /** The searchable corpus of either backend: `index`, or the PostgreSQL corpus with `DATABASE_URL`. */
  corpus: SearchCorpus;
  retriever: Retriever;
  /** The judged questions retrieval learns from, unless PAPERBOT_QUESTION_MEMORY=off. */
  questionMemory?: QuestionMemory;
  /** The offline answerer (always available, also the fallback). */
  offlineAnswerer: Answerer;
  /** The answerer in use: the LLM one (with offline fallback) when configured, else the offline one. */
  answerer: Answerer;
  bot: Bot;
  /** Opens the SQLite database in the index directory on first use. */
  database(): SqliteDatabase;
  /** The repositories of shared state (ledger, subscriptions, …) on the configured backend. */
  stores: Stores;
  /** The trending digest engine over `stores.trendingPapers` (built on first use). */
  trending(): TrendingService;
  /**
   * Stores and indexes papers on the configured backend (the feed refresh of `serve`): into the
   * index directory under its lock, or into PostgreSQL under the writer lock; the corpus of this
   * process sees them when it resolves.
   */
  ingest(papers: readonly Paper[]): Promise<IngestOutcome>;
  /**
   * The leadership of this process (who runs the feed refresh and writes the index): an election
   * among the replicas on PostgreSQL, else this process alone.
   */
  leadership(events?: LeadershipEvents): Leadership;
  /** True when the store answers (a `SELECT 1` on PostgreSQL, on SQLite a query of the file). */
  storeHealthy(): Promise<boolean>;
  /**
   * PostgreSQL: reloads the corpus every `intervalMs` when another process changed the papers
   * (see `PostgresCorpus.watch`). Embedded: nothing (this process is the only writer). Stopped by `close`.
   */
  watchCorpus(intervalMs: number, onReload?: () => void): void;
  close(): Promise<void>;
}

export interface RuntimeOverrides {
  embeddings?: PaperEmbeddings;
  /** The judged questions of the question memory (default: the bundled `corpus/judged-questions.jsonl`). */
  questionMemoryPath?: string;
  answerer?: Answerer;
  /** Called when the LLM answerer fails and the offline answer is used (for metrics). */
  onAnswerFallback?: (reason: string, code: string) => void;
  /** Called when query embedding times out or fails and retrieval is lexical only (for metrics). */
  onRetrievalFallback?: (stage: 'query-embedding') => void;
  /** Called with the duration of the retrieval and answer stages of each question (for metrics). */
  onStage?: StageObserver;
}

/** Composition root of the core: embeddings, index, retrieval, answering, bot. */
export async function createRuntime(
  config: Config,
  logger: Logger,
  overrides: RuntimeOverrides = {},
): Promise<Runtime> {
  const embeddings = overrides.embeddings ?? (await createEmbeddings(config));
  const storage = await openCorpus(config, embeddings);
  const index = storage.corpus;
  // Load the model now, so the first question's embedding is not cut off by the query timeout.
  await embeddings.embedQuery('warm up');
  // The memory only improves ranking: if it cannot be read or embedded (a damaged file, an
  // embeddings API down on first start), retrieval goes on without it and says so.
  const questionMemory = config.questionMemory
    ? await openQuestionMemory({
        indexDir: config.indexDir,
        embeddings,
        logger,
        path: overrides.questionMemoryPath,
      }).catch((error: unknown) => {
        logger.warn(
          { err: error },
          'question memory unavailable; retrieval goes on without it (PAPERBOT_QUESTION_MEMORY=off turns it off)',
        );
        return undefined;
      })
    : undefined;
  const retriever = new HybridRetriever(index, {
    embedTimeoutMs: config.embedTimeoutMs,
    memory: questionMemory,
    logger,
    onFallback: overrides.onRetrievalFallback,
  });
  const built = buildAnswerers({
    config,
    index,
    embeddingModel: embeddings.modelId,
    memory: questionMemory,
    logger,
    onFallback: overrides.onAnswerFallback,
  });
  const offlineAnswerer = built.offline;
  const answerer = overrides.answerer ?? built.answerer;
  let database: SqliteDatabase | undefined;
  let trending: TrendingService | undefined;
  const openStore = () => {
    if (config.databaseUrl) throw postgresUnsupported('subscriptions, feedback and the chat adapter state');
    database ??= openDatabase(databasePath(config.indexDir));
    return database;
  };
  const stores = createStores(
    storage.pool ? { kind: 'postgres', pool: storage.pool } : { kind: 'sqlite', database: openStore },
  );
  const trendingService = () => {
    trending ??= createTrendingService({
      papers: stores.trendingPapers,
      retriever,
      logger,
      summarizer: config.openai
        ? new OpenAISummarizer({
            apiKey: config.openai.apiKey,
            baseURL: config.openai.baseURL,
            model: config.openai.chatModel,
            timeoutMs: config.llmTimeoutMs,
          })
        : undefined,
      topicJudge:
        config.openai && config.topicJudge !== 'off'
          ? new OpenAITopicJudge({
              apiKey: config.openai.apiKey,
              baseURL: config.openai.baseURL,
              model: config.openai.chatModel,
              timeoutMs: config.llmTimeoutMs,
            })
          : undefined,
    });
    return trending;
  };
  const onStage = overrides.onStage;
  const bot = createBot({
    retriever: onStage ? timedRetriever(retriever, onStage) : retriever,
    answerer: onStage ? timedAnswerer(answerer, onStage) : answerer,
    paperCount: () => index.size,
    countPapers: async () => (storage.postgres ? storage.postgres.repository.count() : index.size),
    catalog: index,
    logger,
    trending: { trendingDigest: (options) => trendingService().trendingDigest(options) },
  });
  return {
    config,
    logger,
    embeddings,
    get index(): PaperIndex {
      if (storage.embedded) return storage.embedded;
      throw postgresUnsupported('this command');
    },
    corpus: index,
    retriever,
    questionMemory,
    offlineAnswerer,
    answerer,
    bot,
    database: openStore,
    stores,
    trending: trendingService,
    async ingest(papers) {
      if (storage.postgres) {
        const { repository, vectorStore } = storage.postgres;
        const outcome = await ingestIntoPostgres(papers, { repository, vectorStore, embeddings, logger });
        await storage.postgres.reload();
        return outcome;
      }
      const embedded = storage.embedded as PaperIndex;
      // Pick up what a CLI ingest saved meanwhile before adding to the index.
      await embedded.reloadIfChanged();
      return ingestPapers(papers, { store: new PaperStore(openStore()), index: embedded, logger });
    },
    leadership(events = {}) {
      if (!config.databaseUrl) return soleLeader(events);
      return createLeaderElection({ databaseUrl: config.databaseUrl, logger, ...events });
    },
    async storeHealthy() {
      try {
        if (storage.pool) return (await storage.pool.query('SELECT 1 AS ok')).rows.length === 1;
        return openStore().prepare('select 1 as ok').get() !== undefined;
      } catch {
        return false;
      }
    },
    watchCorpus(intervalMs, onReload) {
      storage.postgres?.watch(
        intervalMs,
        (error) => logger.warn({ err: error }, 'could not check the papers table for changes; retrying'),
        onReload,
      );
    },
    async close() {
      await storage.postgres?.unwatch();
      database?.close();
      database = undefined;
      await storage.close();
      trending = undefined;
    },
  };
}

/** The corpus of the configured backend: PostgreSQL when `DATABASE_URL` is set, else the index directory. */
async function openCorpus(
  config: Config,
  embeddings: PaperEmbeddings,
): Promise<{
  corpus: SearchCorpus;
  embedded?: PaperIndex;
  postgres?: PostgresCorpus;
  pool?: pg.Pool;
  close(): Promise<void>;
}> {
  if (!config.databaseUrl) {
    const embedded = await PaperIndex.open(config.indexDir, embeddings);
    return { corpus: embedded, embedded, close: async () => undefined };
  }
  const pool = await openPostgres(config.databaseUrl);
  try {
    const corpus = await PostgresCorpus.open(pool, embeddings);
    return { corpus, postgres: corpus, pool, close: () => pool.end() };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
