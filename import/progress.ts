export type Progress = {
  /** done out of total (bytes, rows: whatever the bar counts), with a short note after it. */
  update(done: number, note?: string): void;
  finish(note?: string): void;
};

const width = 30;

function bar(fraction: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/**
 * A progress bar on stderr: redrawn in place on a terminal (at most ten times a second), or one
 * line per quarter when stderr is a file or a pipe, so logs stay short.
 */
export function createProgress(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
  enabled = true,
): Progress {
  const started = Date.now();
  let lastDraw = 0;
  let lastQuarter = -1;
  const line = (done: number, note: string) => {
    const fraction = total > 0 ? done / total : 1;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    return `${label.padEnd(22)} ${bar(fraction)} ${String(Math.floor(fraction * 100)).padStart(3)}% ${seconds}s ${note}`;
  };
  return {
    update(done, note = '') {
      if (!enabled) return;
      if (stream.isTTY) {
        const now = Date.now();
        if (now - lastDraw < 100) return;
        lastDraw = now;
        stream.write(`\r${line(done, note)}\x1b[K`);
      } else {
        const quarter = total > 0 ? Math.floor((done / total) * 4) : 0;
        if (quarter <= lastQuarter || quarter >= 4) return;
        lastQuarter = quarter;
        stream.write(`${line(done, note)}\n`);
      }
    },
    finish(note = '') {
      if (!enabled) return;
      stream.write(
        `${stream.isTTY ? '\r' : ''}${line(total, note)}${stream.isTTY ? '\x1b[K' : ''}\n`,
      );
    },
  };
}
