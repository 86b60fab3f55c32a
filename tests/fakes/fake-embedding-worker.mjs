// A stand-in for src/embeddings/embedding-worker.mjs in the pool tests: answers at once with
// [the number in the text, the worker's threadId] for each text, and misbehaves on demand:
//   'crash' throws (an uncaught error in the worker), 'exit' ends the thread with code 3,
//   'fail' replies with an error, 'hang' never replies.
import { parentPort, threadId } from 'node:worker_threads';

parentPort.on('message', ({ id, texts }) => {
  if (texts.includes('crash')) throw new Error('fake worker crash');
  if (texts.includes('exit')) process.exit(3);
  if (texts.includes('fail')) {
    parentPort.postMessage({ id, error: 'fake model failure\n    at somewhere' });
    return;
  }
  if (texts.includes('hang')) return;
  parentPort.postMessage({ id, vectors: texts.map((text) => [Number(text.replace(/\D/g, '')), threadId]) });
});
