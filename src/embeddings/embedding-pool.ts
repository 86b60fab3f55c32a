import { Worker } from 'node:worker_threads';
import { PaperbotError } from '../errors.ts';

/** The worker script: plain `.mjs`, so it runs under node, tsx and vitest alike. */
const DEFAULT_WORKER_URL = new URL('./embedding-worker.mjs', import.meta.url);
/** Workers (each holding a model of ~250-300 MB) are terminated after this long without work. */
const DEFAULT_IDLE_MS = 10_000;
/** Largest chunk sent to one worker; smaller chunks balance uneven texts better. */
const MAX_CHUNK = 16;
/** Chunks per worker and call, at least: the fastest worker takes the leftovers. */
const CHUNKS_PER_WORKER = 4;

export interface EmbeddingPoolOptions {
  /** Worker threads, each with its own model. */
  size: number;
  /** Worker script; tests pass a fake. Default: `embedding-worker.mjs` beside this file. */
  workerUrl?: URL;
  /** Idle time after which the workers are terminated. */
  idleMs?: number;
}

/** Message to a worker. */
interface Request {
  id: number;
  texts: string[];
}

/** Message from a worker. */
type Reply = { id: number; vectors: number[][] } | { id: number; error: string };

interface Task {
  id: number;
  texts: string[];
  call: { failed: boolean };
  resolve(vectors: number[][]): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  /** 1-based, for messages. */
  number: number;
  task?: Task;
}

/**
 * A pool of worker threads that each load the offline model once and embed chunks of texts, so a
 * large `embedDocuments` call uses every core (the WASM backend cannot multithread under Node).
 *
 * Workers start on the first call and are terminated after `idleMs` without work; between calls
 * they are `unref`'d, so they never keep a finished CLI command alive. A worker that crashes or
 * exits fails every call in flight with `EMBEDDINGS_WORKER_FAILED` and the pool starts afresh on
 * the next call.
 * Kept over `piscina`/`tinypool`: each worker holds a ~300 MB model, and the pool needs chunking
 * with order kept, idle termination and fail-all-in-flight on a crash, which is most of this file.
 */
export class EmbeddingPool {
  readonly size: number;
  private readonly workerUrl: URL;
  private readonly idleMs: number;
  private slots: Slot[] = [];
  private queue: Task[] = [];
  private calls = 0;
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(options: EmbeddingPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new PaperbotError(
        'CONFIG_INVALID',
        `Embedding pool size must be a positive integer, got ${options.size}`,
      );
    }
    this.size = options.size;
    this.workerUrl = options.workerUrl ?? DEFAULT_WORKER_URL;
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  }

  /** Worker threads alive now (0 before the first call and after an idle shutdown). */
  get running(): number {
    return this.slots.length;
  }

  /** Embeds `texts` (already cleaned) on the workers; vectors come back in the order of `texts`. */
  async embed(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    this.calls++;
    this.start();
    const call = { failed: false };
    try {
      const chunkSize = Math.max(
        1,
        Math.min(MAX_CHUNK, Math.ceil(texts.length / (this.size * CHUNKS_PER_WORKER))),
      );
      const parts: Promise<number[][]>[] = [];
      for (let start = 0; start < texts.length; start += chunkSize) {
        parts.push(this.submit(texts.slice(start, start + chunkSize), call));
      }
      try {
        return (await Promise.all(parts)).flat();
      } catch (error) {
        call.failed = true;
        throw error;
      }
    } finally {
      this.calls--;
      if (this.calls === 0) this.idle();
    }
  }

  /** Terminates every worker now (failing any call in flight); a later call starts new ones. */
  async close(): Promise<void> {
    const slots = this.shutdown(
      new PaperbotError('EMBEDDINGS_WORKER_FAILED', 'The embedding worker pool was closed during the call.'),
    );
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private start(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    while (this.slots.length < this.size) this.slots.push(this.spawn(this.slots.length + 1));
    for (const slot of this.slots) slot.worker.ref();
  }

  /** No call in flight: let the process exit around the workers, and end them after a while. */
  private idle(): void {
    for (const slot of this.slots) slot.worker.unref();
    if (this.slots.length === 0) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.calls === 0) void this.close();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private spawn(number: number): Slot {
    const worker = new Worker(this.workerUrl);
    const slot: Slot = { worker, number };
    worker.on('message', (reply: Reply) => {
      const task = slot.task;
      if (!task || task.id !== reply.id) return;
      slot.task = undefined;
      if ('error' in reply) {
        task.reject(
          new PaperbotError(
            'EMBEDDINGS_WORKER_FAILED',
            `Embedding worker thread ${number} of ${this.size} failed: ${firstLine(reply.error)}`,
            { cause: reply.error },
          ),
        );
      } else {
        task.resolve(reply.vectors);
      }
      this.dispatch();
    });
    worker.on('error', (error) => {
      this.crashed(slot, `crashed: ${firstLine(error.message)}`, error);
    });
    worker.on('exit', (code) => {
      this.crashed(slot, `exited with code ${code}`);
    });
    return slot;
  }

  private submit(texts: string[], call: Task['call']): Promise<number[][]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, texts, call, resolve, reject });
      this.dispatch();
    });
  }

  /** Gives queued chunks to free workers, skipping chunks of calls that already failed. */
  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.task) continue;
      let task = this.queue.shift();
      while (task?.call.failed) task = this.queue.shift();
      if (!task) return;
      slot.task = task;
      slot.worker.postMessage({ id: task.id, texts: task.texts } satisfies Request);
    }
  }

  /** A worker died while it belonged to the pool: fail every call in flight and start afresh. */
  private crashed(slot: Slot, what: string, cause?: unknown): void {
    if (!this.slots.includes(slot)) return;
    const error = new PaperbotError(
      'EMBEDDINGS_WORKER_FAILED',
      `Embedding worker thread ${slot.number} of ${this.size} ${what}. ` +
        'Set PAPERBOT_EMBED_WORKERS=0 to embed on the main thread.',
      { cause },
    );
    for (const other of this.shutdown(error)) if (other !== slot) void other.worker.terminate();
  }

  /**
   * Forgets every worker and rejects every chunk in flight or queued with `error`; returns the
   * workers, for the caller to terminate.
   */
  private shutdown(error: PaperbotError): Slot[] {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const slots = this.slots;
    const pending = [...slots.flatMap((slot) => (slot.task ? [slot.task] : [])), ...this.queue];
    this.slots = [];
    this.queue = [];
    for (const slot of slots) slot.task = undefined;
    for (const task of pending) task.reject(error);
    return slots;
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
