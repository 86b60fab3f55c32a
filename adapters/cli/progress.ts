/** A progress bar on stderr with rate and ETA; one line per update when stderr is not a terminal. */
export function createProgressBar(
  label: string,
  write: (text: string) => void,
  interactive: boolean,
  now: () => number = () => performance.now(),
): { update(done: number, total: number): void; finish(): void } {
  const started = now();
  let lastLine = 0;
  let lastDone = -1;
  return {
    update(done, total) {
      if (done === lastDone) return;
      lastDone = done;
      const elapsed = (now() - started) / 1000;
      const rate = elapsed > 0 ? done / elapsed : 0;
      const eta = rate > 0 ? (total - done) / rate : Number.NaN;
      const width = 24;
      const filled = total > 0 ? Math.min(width, Math.max(0, Math.round((done / total) * width))) : 0;
      const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
      const text = `${label} [${bar}] ${done}/${total} ${rate.toFixed(1)}/s ETA ${Number.isFinite(eta) ? `${eta.toFixed(0)}s` : '?'}`;
      if (interactive) write(`\r${text}`);
      else if (now() - lastLine > 2000 || done === total) {
        write(`${text}\n`);
        lastLine = now();
      }
    },
    finish() {
      if (interactive) write('\n');
    },
  };
}
