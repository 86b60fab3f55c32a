import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** How a question ended, as counted by `paperbot_questions_total`. */
export type QuestionOutcome = 'answered' | 'declined' | 'busy' | 'invalid' | 'error';
/** Timed stages of a question (`paperbot_stage_duration_seconds`). */
export type Stage = 'retrieval' | 'answer' | 'total';
/** Where a fallback happened (`paperbot_fallbacks_total`). */
export type FallbackStage = 'query-embedding' | 'llm';

/** The operator's view of the process; one per process, on its own prom-client registry. */
export interface Metrics {
  /** The registry behind `/metrics` (not prom-client's global one). */
  readonly registry: Registry;
  /** Counts a question by outcome; `seconds` (when given) goes to the `total` stage histogram. */
  question(kind: 'ask' | 'search', outcome: QuestionOutcome, seconds?: number): void;
  /** Records how long a stage took, in seconds. */
  stage(stage: Stage, seconds: number): void;
  /** Counts a fallback (query embedding timed out, LLM failed); `reason` is a short stable code. */
  fallback(stage: FallbackStage, reason: string): void;
  /** Sets the queue gauges: tasks running and waiting. */
  queueDepth(running: number, waiting: number): void;
  /** Counts a digest delivered to a platform. */
  digestPosted(platform: string): void;
  /** Counts an error by component (`core`, `slack`, `discord`, `digest`, `http`, ...). */
  error(component: string): void;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
  /** Content type of `render()`'s output. */
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Also collect Node process metrics (memory, CPU, event loop), prefixed `paperbot_` (default true). */
  processMetrics?: boolean;
}

/** Latency buckets in seconds: an answer takes tens of milliseconds offline, seconds with an LLM. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'paperbot_' });
  const questions = new Counter({
    name: 'paperbot_questions_total',
    help: 'Questions and searches by outcome (answered, declined, busy, invalid, error).',
    labelNames: ['kind', 'outcome'] as const,
    registers,
  });
  const stages = new Histogram({
    name: 'paperbot_stage_duration_seconds',
    help: 'Time spent per stage of a question: retrieval, answer, total (seconds).',
    labelNames: ['stage'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const fallbacks = new Counter({
    name: 'paperbot_fallbacks_total',
    help: 'Fallbacks by stage: query-embedding (to lexical retrieval), llm (to the offline answer).',
    labelNames: ['stage', 'reason'] as const,
    registers,
  });
  const queueRunning = new Gauge({
    name: 'paperbot_queue_running',
    help: 'Questions being answered now.',
    registers,
  });
  const queueDepth = new Gauge({
    name: 'paperbot_queue_depth',
    help: 'Questions waiting for a free answering slot.',
    registers,
  });
  const digests = new Counter({
    name: 'paperbot_digests_posted_total',
    help: 'Trending digests delivered, by platform.',
    labelNames: ['platform'] as const,
    registers,
  });
  const errors = new Counter({
    name: 'paperbot_errors_total',
    help: 'Errors by component.',
    labelNames: ['component'] as const,
    registers,
  });
  // Zero-valued series exist from the start, so dashboards and alerts see them before the first event.
  for (const outcome of ['answered', 'declined', 'busy', 'invalid', 'error'] as const)
    questions.inc({ kind: 'ask', outcome }, 0);
  fallbacks.inc({ stage: 'query-embedding', reason: 'timeout' }, 0);
  errors.inc({ component: 'core' }, 0);
  errors.inc({ component: 'unhandled-rejection' }, 0);

  return {
    registry,
    contentType: registry.contentType,
    question(kind, outcome, seconds) {
      questions.inc({ kind, outcome });
      if (seconds !== undefined) stages.observe({ stage: 'total' }, seconds);
    },
    stage(stage, seconds) {
      stages.observe({ stage }, seconds);
    },
    fallback(stage, reason) {
      fallbacks.inc({ stage, reason });
    },
    queueDepth(running, waiting) {
      queueRunning.set(running);
      queueDepth.set(waiting);
    },
    digestPosted(platform) {
      digests.inc({ platform });
    },
    error(component) {
      errors.inc({ component });
    },
    render: () => registry.metrics(),
  };
}
