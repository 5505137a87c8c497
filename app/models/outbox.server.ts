import { sql } from 'kysely';
import type { Database } from '#db/client';
import { skipLocked } from '#db/dialect';
import { listen } from '#db/notify';

/**
 * What every outbox that leaves the process shares (webhook deliveries, mail): the pauses between
 * attempts, claiming due rows in batches under a lease, the outcome of an attempt, and the
 * background worker that drains one outbox. Each outbox keeps its own table and its own sender.
 */

/** Pauses after each failed attempt: 8 attempts over 27 h 35 min, then the row fails. */
export const retryDelaysMs = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];
export const maxAttempts = retryDelaysMs.length + 1;

/** How long a claimed row stays with its worker before another may take it. */
export const claimLeaseMs = 5 * 60_000;

export type OutboxTable = 'webhook_deliveries' | 'mail_outbox';

/**
 * Takes up to `limit` rows that are due and returns their ids, oldest due first. The claim is one
 * UPDATE, so two workers never get the same row while the lease lasts (on PostgreSQL the inner
 * SELECT skips rows another server is claiming; SQLite serialises writers). `ready` names the
 * status of rows waiting to be sent.
 */
export async function claimDue(
  db: Database,
  table: OutboxTable,
  ready: string,
  options: { now: Date; limit: number; extraCondition?: ReturnType<typeof sql> },
): Promise<number[]> {
  const now = options.now.toISOString();
  const until = new Date(options.now.getTime() + claimLeaseMs).toISOString();
  const extra = options.extraCondition ? sql`and ${options.extraCondition}` : sql``;
  const result = await sql<{ id: number }>`
    update ${sql.table(table)} set claimed_until = ${until}
    where id in (
      select id from ${sql.table(table)}
      where status = ${ready} and next_attempt_at <= ${now}
        and (claimed_until is null or claimed_until <= ${now}) ${extra}
      order by next_attempt_at, id
      limit ${options.limit}
      ${skipLocked(db)}
    )
    returning id`.execute(db);
  return result.rows.map((row) => row.id).sort((a, b) => a - b);
}

/**
 * The row's next state after an attempt: done, scheduled again after a longer pause, or failed
 * once the attempts run out. The claim is released either way.
 */
export function attemptOutcome(ok: boolean, previousAttempts: number, now: Date) {
  const attempts = previousAttempts + 1;
  if (ok) return { done: true, attempts, next_attempt_at: null, claimed_until: null } as const;
  const delay = retryDelaysMs[attempts - 1];
  return delay === undefined
    ? ({ done: false, failed: true, attempts, next_attempt_at: null, claimed_until: null } as const)
    : ({
        done: false,
        failed: false,
        attempts,
        next_attempt_at: new Date(now.getTime() + delay).toISOString(),
        claimed_until: null,
      } as const);
}

export type OutboxWorker = { stop(): Promise<void> };
export type WorkerLog = (
  level: 'info' | 'warn',
  message: string,
  fields?: Record<string, unknown>,
) => void;

/**
 * Runs `drain` in the background until stopped: again at once while it finds work, else when the
 * table is notified (`db/notify.ts`) or after `pollMs`. `stop` waits for the batch in hand to finish.
 */
export function startOutboxWorker(
  db: Database,
  options: {
    name: string;
    table: OutboxTable;
    drain: () => Promise<number>;
    log?: WorkerLog;
    pollMs?: number;
  },
): OutboxWorker {
  const log = options.log ?? (() => {});
  const pollMs = options.pollMs ?? 5_000;
  let stopped = false;
  let wake: (() => void) | null = null;
  const unsubscribe = listen(db, options.table, () => wake?.());
  async function loop() {
    while (!stopped) {
      try {
        const handled = await options.drain();
        if (handled > 0) continue;
      } catch (error) {
        log('warn', `${options.name} failed`, {
          error: error instanceof Error ? error.message : String(error),
        });
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs);
        function done() {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      });
    }
  }
  const running = loop();
  return {
    async stop() {
      stopped = true;
      unsubscribe();
      wake?.();
      await running;
    },
  };
}
