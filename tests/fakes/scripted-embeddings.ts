import { HashingEmbeddings } from './hashing-embeddings.ts';

/**
 * HashingEmbeddings for the kill -9 child processes: prints `embed <n>` on stdout at each
 * embedding call, so the parent can kill the child at a chosen point, and with
 * `HANG_AT_EMBED=n` makes the n-th call never return (keeping the process alive until killed).
 */
export class ScriptedEmbeddings extends HashingEmbeddings {
  private count = 0;
  override async embedDocuments(texts: string[]): Promise<number[][]> {
    this.count++;
    process.stdout.write(`embed ${this.count}\n`);
    if (this.count === Number(process.env.HANG_AT_EMBED)) {
      setInterval(() => {}, 1_000);
      return new Promise(() => {});
    }
    return super.embedDocuments(texts);
  }
}
