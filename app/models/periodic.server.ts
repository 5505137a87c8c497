import type { Database } from '#db/client';
import { onOneServer } from '#db/dialect';

export type JobLog = (
  level: 'info' | 'warn' | 'error',
  message: string,
  data?: Record<string, unknown>,
) => void;

/**
 * Runs `work` now and then every `everyMs`, on one server at a time, until stopped; a run never
 * overlaps the one before. What it returns is logged when `report` makes a message of it.
 */
export function startPeriodicJob<T>(
  db: Database,
  job: string,
  work: () => Promise<T>,
  options: { everyMs: number; log?: JobLog; report?: (result: T) => string | null },
) {
  const { log, report } = options;
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= onOneServer(db, job, work)
      .then((result) => {
        const message = result === null ? null : report?.(result);
        if (message) log?.('info', message, { result });
      })
      .catch((error: unknown) =>
        log?.('error', `${job} failed`, {
          error: error instanceof Error ? error.message : String(error),
        }),
      )
      .finally(() => {
        running = null;
      });
  };
  run();
  const timer = setInterval(run, options.everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
