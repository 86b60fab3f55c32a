/**
 * Child process of the ANN benchmark: loads one hnswlib index file in a fresh process and prints
 * `{ loadSeconds, rssBeforeBytes, rssAfterBytes, count }`, so the index's memory is measured
 * without the generator's and builder's garbage. Usage: `bench/ann-load.ts <file> <dim>`.
 */
import hnswlib from 'hnswlib-node';

const [file, dimText] = process.argv.slice(2);
if (!file || !dimText) {
  process.stderr.write('usage: ann-load.ts <index file> <dim>\n');
  process.exit(2);
}
const index = new hnswlib.HierarchicalNSW('ip', Number(dimText));
const rssBeforeBytes = process.memoryUsage.rss();
const start = performance.now();
index.readIndexSync(file);
const loadSeconds = (performance.now() - start) / 1000;
const rssAfterBytes = process.memoryUsage.rss();
process.stdout.write(
  `${JSON.stringify({ loadSeconds, rssBeforeBytes, rssAfterBytes, count: index.getCurrentCount() })}\n`,
);
