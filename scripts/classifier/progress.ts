/**
 * A one-line progress bar with rate and ETA on stderr. On a terminal it redraws in place; in a log
 * (not a TTY) it prints a line every 10 % so CI logs stay short.
 */
export interface ProgressBar {
  /** Sets the number of finished items. */
  update(done: number): void;
  /** Prints the final line with the elapsed time. */
  finish(): void;
}

/** Formats seconds as "1h02m", "3m05s" or "42s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Starts a progress bar for `total` items. */
export function createProgressBar(label: string, total: number, unit = 'img'): ProgressBar {
  const started = performance.now();
  const tty = process.stderr.isTTY === true;
  let lastDecile = -1;
  let done = 0;
  const line = (): string => {
    const elapsed = (performance.now() - started) / 1000;
    const rate = done / Math.max(elapsed, 1e-9);
    const width = 24;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const eta = done === 0 ? '?' : formatDuration((total - done) / rate);
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    return (
      `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ` +
      `${done}/${total} ${rate.toFixed(1)} ${unit}/s ETA ${eta}`
    );
  };
  return {
    update(value: number) {
      done = value;
      if (tty) {
        process.stderr.write(`\r${line()}\x1b[K`);
      } else {
        const decile = total === 0 ? 10 : Math.floor((done / total) * 10);
        if (decile !== lastDecile) {
          lastDecile = decile;
          process.stderr.write(`${line()}\n`);
        }
      }
    },
    finish() {
      const elapsed = formatDuration((performance.now() - started) / 1000);
      process.stderr.write(
        `${tty ? '\r' : ''}${label}: ${done}/${total} in ${elapsed}${tty ? '\x1b[K' : ''}\n`,
      );
    },
  };
}
