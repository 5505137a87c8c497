import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Database } from '#db/client';
import { ticketPriorities, type SlaMetric, type TicketPriority } from '#db/schema';
import { startPeriodicJob, type JobLog } from '~/models/periodic.server';
import { addBusinessMinutes, isTimeZone, type BusinessHours } from './business-hours';

/**
 * SLA targets: per priority, how long until the first public reply and until the ticket is
 * solved, counted in business hours. Each ticket keeps the due times its priority gave it when it
 * was filed (and again when its priority changes); a sweep records each breach once.
 */

const nineToFive = { open: 9 * 60, close: 17 * 60 };
export const defaultBusinessHours: BusinessHours = {
  timeZone: 'UTC',
  days: [null, nineToFive, nineToFive, nineToFive, nineToFive, nineToFive, null],
};

const minuteOfDay = z
  .number()
  .int()
  .min(0)
  .max(24 * 60);
export const businessHoursSchema = z.object({
  timeZone: z.string().refine(isTimeZone, 'Choose a time zone from the list.'),
  days: z
    .array(
      z
        .object({ open: minuteOfDay, close: minuteOfDay })
        .refine((day) => day.close > day.open, 'Closing time must be after opening time.')
        .nullable(),
    )
    .length(7),
});

type Executor = Pick<Database, 'selectFrom' | 'updateTable' | 'insertInto'>;

export async function businessHoursOf(db: Pick<Database, 'selectFrom'>): Promise<BusinessHours> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', 'business_hours')
    .executeTakeFirst();
  if (!row) return defaultBusinessHours;
  const parsed = businessHoursSchema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : defaultBusinessHours;
}

export async function saveBusinessHours(db: Database, hours: BusinessHours, now = new Date()) {
  const value = JSON.stringify(businessHoursSchema.parse(hours));
  await db
    .insertInto('settings')
    .values({ key: 'business_hours', value, updated_at: now.toISOString() })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({ value, updated_at: now.toISOString() }),
    )
    .execute();
}

export type SlaPolicy = { firstResponseMinutes: number | null; resolutionMinutes: number | null };

/** Every priority's targets (null: no target). */
export async function slaPoliciesOf(
  db: Pick<Database, 'selectFrom'>,
): Promise<Record<TicketPriority, SlaPolicy>> {
  const rows = await db.selectFrom('sla_policies').selectAll().execute();
  return Object.fromEntries(
    ticketPriorities.map((priority) => {
      const row = rows.find((one) => one.priority === priority);
      return [
        priority,
        {
          firstResponseMinutes: row?.first_response_minutes ?? null,
          resolutionMinutes: row?.resolution_minutes ?? null,
        },
      ];
    }),
  ) as Record<TicketPriority, SlaPolicy>;
}

export async function saveSlaPolicy(
  db: Database,
  priority: TicketPriority,
  policy: SlaPolicy,
  now = new Date(),
) {
  const values = {
    first_response_minutes: policy.firstResponseMinutes,
    resolution_minutes: policy.resolutionMinutes,
    updated_at: now.toISOString(),
  };
  await db
    .insertInto('sla_policies')
    .values({ priority, ...values })
    .onConflict((conflict) => conflict.column('priority').doUpdateSet(values))
    .execute();
}

/** The due times a ticket of `priority` filed at `filedAt` gets. */
export async function dueTimesFor(
  db: Pick<Database, 'selectFrom'>,
  priority: TicketPriority,
  filedAt: Date,
): Promise<{ first_response_due_at: string | null; resolution_due_at: string | null }> {
  const policy = (await slaPoliciesOf(db))[priority];
  const hours = await businessHoursOf(db);
  const due = (minutes: number | null) =>
    minutes === null ? null : (addBusinessMinutes(filedAt, minutes, hours)?.toISOString() ?? null);
  return {
    first_response_due_at: due(policy.firstResponseMinutes),
    resolution_due_at: due(policy.resolutionMinutes),
  };
}

/** Sets a ticket's due times from its priority and the time it was filed. */
export async function setSlaTargets(db: Executor, ticketId: number) {
  const ticket = await db
    .selectFrom('tickets')
    .select(['priority', 'created_at'])
    .where('id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket) return;
  const due = await dueTimesFor(db, ticket.priority, new Date(ticket.created_at));
  await db.updateTable('tickets').set(due).where('id', '=', ticketId).execute();
}

/** Gives a ticket another priority, and the due times of that priority's targets. */
export async function changePriority(
  db: Database,
  ticketId: number,
  priority: TicketPriority,
  now = new Date(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('tickets')
      .set({ priority, updated_at: now.toISOString() })
      .where('id', '=', ticketId)
      .executeTakeFirst();
    if (!changed.numUpdatedRows) return false;
    await setSlaTargets(trx, ticketId);
    return true;
  });
}

/** The first public reply by staff stops the first-response clock. */
export async function markFirstResponse(db: Executor, ticketId: number, at: Date) {
  await db
    .updateTable('tickets')
    .set({ first_responded_at: at.toISOString() })
    .where('id', '=', ticketId)
    .where('first_responded_at', 'is', null)
    .execute();
}

/**
 * Records every breach not yet recorded: no first reply by its due time, or not solved by its
 * due time. A breach is one row per ticket and metric, so running this on every server, however
 * often, records each once.
 */
export async function recordBreaches(db: Database, now = new Date()): Promise<number> {
  const at = now.toISOString();
  let recorded = 0;
  // Solving without a public reply also ends the first-reply clock (as Zendesk counts it).
  const late: Record<
    SlaMetric,
    { due: 'first_response_due_at' | 'resolution_due_at'; done: RawBuilder<string | null> }
  > = {
    first_response: {
      due: 'first_response_due_at',
      done: sql`coalesce(first_responded_at, solved_at)`,
    },
    resolution: { due: 'resolution_due_at', done: sql`solved_at` },
  };
  for (const [metric, { due, done }] of Object.entries(late) as [
    SlaMetric,
    (typeof late)[SlaMetric],
  ][]) {
    const result = await db
      .insertInto('sla_breaches')
      .columns(['ticket_id', 'metric', 'due_at', 'recorded_at'])
      .expression(
        db
          .selectFrom('tickets')
          .select([
            'id',
            sql.lit(metric).as('metric'),
            sql.ref<string>(due).as('due_at'),
            sql.lit(at).as('recorded_at'),
          ])
          .where(due, 'is not', null)
          .where(due, '<', at)
          .where((eb) => eb.or([eb(done, 'is', null), eb(done, '>', sql.ref<string | null>(due))]))
          // A ticket closed without a solve stops its clocks.
          .where((eb) => eb.or([eb('status', '!=', 'closed'), eb(done, 'is not', null)])),
      )
      .onConflict((conflict) => conflict.columns(['ticket_id', 'metric']).doNothing())
      .executeTakeFirst();
    recorded += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return recorded;
}

/** Sweeps for breaches every minute until stopped (server.ts starts it beside the mail worker). */
export function startBreachSweep(db: Database, log?: JobLog, everyMs = 60_000) {
  return startPeriodicJob(db, 'sla breaches', () => recordBreaches(db), {
    everyMs,
    log,
    report: (recorded) => (recorded ? 'SLA breaches recorded' : null),
  });
}
