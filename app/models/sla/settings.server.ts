import { z } from 'zod';
import type { Database } from '#db/client';
import { ticketPriorities, type TicketPriority } from '#db/schema';
import { logModeration } from '~/models/audit-log.server';
import type { Actor } from '~/models/permissions';
import { isTimeZone, type BusinessHours, type OpenHours } from './business-hours';
import { weekdays } from './labels';
import {
  businessHoursOf,
  saveBusinessHours,
  saveSlaPolicy,
  slaPoliciesOf,
  type SlaPolicy,
} from './targets.server';

/** The SLA settings page's form: flat fields, one per input. */

const clockTime = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Use a time like 09:00.');
const hoursTarget = z
  .string()
  .trim()
  .refine(
    (value) => value === '' || (/^\d{1,4}(\.\d{1,2})?$/.test(value) && Number(value) > 0),
    'Use a number of hours above 0, like 4 or 0.5, or leave it empty for no target.',
  )
  .refine((value) => value === '' || Number(value) <= 2160, 'Use at most 2,160 hours (90 days).');

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

const fields: Record<string, z.ZodType> = {
  timeZone: z.string().refine(isTimeZone, 'Choose a time zone from the list.'),
};
for (const [day] of weekdays.entries()) {
  fields[`open${day}`] = clockTime;
  fields[`close${day}`] = clockTime;
  fields[`closed${day}`] = z.literal('on').optional();
}
for (const priority of ticketPriorities) {
  fields[`firstResponse_${priority}`] = hoursTarget;
  fields[`resolution_${priority}`] = hoursTarget;
}

export const slaSettingsSchema = z
  .object(fields)
  .superRefine((input, context) => {
    for (const [day, name] of weekdays.entries()) {
      if (input[`closed${day}`]) continue;
      if (minutesOf(String(input[`close${day}`])) <= minutesOf(String(input[`open${day}`])))
        context.addIssue({
          code: 'custom',
          path: [`close${day}`],
          message: `${name} must close after it opens.`,
        });
    }
  })
  .transform((input) => {
    const hours: BusinessHours = {
      timeZone: String(input.timeZone),
      days: weekdays.map((_, day): OpenHours =>
        input[`closed${day}`]
          ? null
          : {
              open: minutesOf(String(input[`open${day}`])),
              close: minutesOf(String(input[`close${day}`])),
            },
      ),
    };
    const minutes = (value: unknown) => (value === '' ? null : Math.round(Number(value) * 60));
    const policies = Object.fromEntries(
      ticketPriorities.map((priority) => [
        priority,
        {
          firstResponseMinutes: minutes(input[`firstResponse_${priority}`]),
          resolutionMinutes: minutes(input[`resolution_${priority}`]),
        },
      ]),
    ) as Record<TicketPriority, SlaPolicy>;
    return { hours, policies };
  });

export type SlaSettings = z.infer<typeof slaSettingsSchema>;

export async function slaSettingsOf(db: Database): Promise<SlaSettings> {
  return { hours: await businessHoursOf(db), policies: await slaPoliciesOf(db) };
}

/** Saves business hours and targets; they apply to tickets filed or re-prioritised from now. */
export async function saveSlaSettings(
  db: Database,
  actor: NonNullable<Actor>,
  settings: SlaSettings,
  now = new Date(),
) {
  await db.transaction().execute(async (trx) => {
    await saveBusinessHours(trx, settings.hours, now);
    for (const priority of ticketPriorities)
      await saveSlaPolicy(trx, priority, settings.policies[priority], now);
    await logModeration(
      trx,
      { actorId: actor.id, action: 'settings', targetType: 'sla', data: settings },
      now,
    );
  });
}
