// Embeds with a pool of fake workers whose idle timeout is an hour, prints one JSON line and then
// simply returns: the process exits at once only if the idle pool leaves nothing keeping it alive.
import { EmbeddingPool } from '../../src/embeddings/embedding-pool.ts';

const pool = new EmbeddingPool({
  size: 2,
  workerUrl: new URL('./fake-embedding-worker.mjs', import.meta.url),
  idleMs: 3_600_000,
});
const vectors = await pool.embed(Array.from({ length: 40 }, (_, index) => `text ${index}`));
console.log(JSON.stringify({ event: 'embedded', vectors: vectors.length, running: pool.running }));
