import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import type { Database } from '#db/client';
import { ticketFieldTypes, type TicketFieldsTable } from '#db/schema';
import { logModeration } from '~/models/audit-log.server';
import type { Actor } from '~/models/permissions';
import type { FieldErrors } from '~/utils/forms.server';
import {
  displayFieldValue,
  fieldInputName,
  jsonFieldValue,
  keyFromLabel,
  optionsOf,
  parseFieldValue,
} from './field-values';

/**
 * Custom ticket fields: the admin's definitions, and their values on tickets. Every write (the
 * contact form, the agent's field card, a macro, the API) checks values with parseFieldValue.
 */

export type TicketField = Selectable<TicketFieldsTable>;

/** The fields in use, in order; for customers only those they see. */
export async function ticketFieldsOf(
  db: Database,
  options: { customer?: boolean; includeArchived?: boolean } = {},
): Promise<TicketField[]> {
  let query = db.selectFrom('ticket_fields').selectAll().orderBy('position').orderBy('id');
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  if (options.customer) query = query.where('customer_visible', '=', 1);
  return query.execute();
}

const flag = z
  .union([z.literal('on'), z.literal('')])
  .optional()
  .transform((value): 0 | 1 => (value === 'on' ? 1 : 0));

export const ticketFieldSchema = z
  .object({
    label: z
      .string('Name the field.')
      .trim()
      .min(1, 'Name the field.')
      .max(80, 'Use at most 80 characters.'),
    key: z
      .string()
      .trim()
      .max(40, 'Use at most 40 characters.')
      .refine(
        (key) => key === '' || /^[a-z][a-z0-9_]*$/.test(key),
        'Use lowercase letters, digits and _, starting with a letter: order_number.',
      )
      .optional(),
    type: z.enum(ticketFieldTypes, 'Choose a type.'),
    options: z.string().max(4_000, 'Use at most 4,000 characters.').optional(),
    hint: z.string().trim().max(200, 'Use at most 200 characters.').optional(),
    customerVisible: flag,
    requiredForCustomer: flag,
    requiredToSolve: flag,
  })
  .superRefine((input, context) => {
    const options = optionsOf({ options: input.options ?? '' });
    if (input.type === 'dropdown' && options.length === 0)
      context.addIssue({
        code: 'custom',
        path: ['options'],
        message: 'List the choices, one per line.',
      });
    if (options.length > 50)
      context.addIssue({ code: 'custom', path: ['options'], message: 'Use at most 50 choices.' });
    if (options.some((option) => option.length > 80))
      context.addIssue({
        code: 'custom',
        path: ['options'],
        message: 'Keep each choice under 80 characters.',
      });
    if (input.requiredForCustomer && !input.customerVisible)
      context.addIssue({
        code: 'custom',
        path: ['requiredForCustomer'],
        message: 'Customers can only be asked for a field they see.',
      });
  });

export type TicketFieldInput = z.infer<typeof ticketFieldSchema>;

/** Creates (id null) or changes a field. A field's type is fixed once tickets hold its values. */
export async function saveTicketField(
  db: Database,
  actor: NonNullable<Actor>,
  id: number | null,
  input: TicketFieldInput,
  now = new Date(),
): Promise<{ ok: true; id: number } | { ok: false; fieldErrors: FieldErrors }> {
  const existing = id
    ? await db.selectFrom('ticket_fields').selectAll().where('id', '=', id).executeTakeFirst()
    : null;
  if (id && !existing) return { ok: false, fieldErrors: { label: 'That field no longer exists.' } };
  const key = existing?.key ?? (input.key || keyFromLabel(input.label));
  const clash = await db
    .selectFrom('ticket_fields')
    .select('id')
    .where('key', '=', key)
    .where('id', '!=', id ?? 0)
    .executeTakeFirst();
  if (clash)
    return { ok: false, fieldErrors: { key: `Another field already has the key ${key}.` } };
  if (existing && existing.type !== input.type) {
    const used = await db
      .selectFrom('ticket_field_values')
      .select('ticket_id')
      .where('field_id', '=', existing.id)
      .executeTakeFirst();
    if (used)
      return {
        ok: false,
        fieldErrors: { type: 'Tickets already hold values of this field: its type stays.' },
      };
  }
  const at = now.toISOString();
  const values = {
    label: input.label,
    type: input.type,
    options:
      input.type === 'dropdown' ? optionsOf({ options: input.options ?? '' }).join('\n') : '',
    hint: input.hint ?? '',
    customer_visible: input.customerVisible,
    required_for_customer: input.requiredForCustomer,
    required_to_solve: input.requiredToSolve,
    updated_at: at,
  };
  const saved = await db.transaction().execute(async (trx) => {
    const row = existing
      ? await trx
          .updateTable('ticket_fields')
          .set(values)
          .where('id', '=', existing.id)
          .returning('id')
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('ticket_fields')
          .values({
            ...values,
            key,
            position: await trx
              .selectFrom('ticket_fields')
              .select((eb) => eb.fn.coalesce(eb.fn.max('position'), eb.lit(0)).as('last'))
              .executeTakeFirstOrThrow()
              .then((result) => Number(result.last) + 1),
            created_at: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
    await logModeration(
      trx,
      {
        actorId: actor.id,
        action: 'settings',
        targetType: 'ticket_field',
        targetId: row.id,
        data: { key, ...values },
      },
      now,
    );
    return row.id;
  });
  return { ok: true, id: saved };
}

/** Archives a field: it leaves forms, the desk and exports; tickets keep their values. */
export async function archiveTicketField(
  db: Database,
  actor: NonNullable<Actor>,
  id: number,
  now = new Date(),
) {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('ticket_fields')
      .set({ archived_at: now.toISOString(), updated_at: now.toISOString() })
      .where('id', '=', id)
      .execute();
    await logModeration(
      trx,
      {
        actorId: actor.id,
        action: 'settings',
        targetType: 'ticket_field',
        targetId: id,
        data: { archived: true },
      },
      now,
    );
  });
}

export type FieldValues = Map<number, string | null>;

/**
 * Reads submitted values of these fields (keyed `fields.<key>` in a form, `<key>` from the API).
 * With `requireCustomer`, fields required for customers must have a value. A field left out of
 * the input is left unchanged unless `complete` says the input holds every field (a form, where
 * an unticked checkbox sends nothing).
 */
export function readFieldValues(
  fields: TicketField[],
  input: Record<string, unknown>,
  options: { form?: boolean; requireCustomer?: boolean } = {},
): { ok: true; values: FieldValues } | { ok: false; fieldErrors: FieldErrors } {
  const values: FieldValues = new Map();
  const fieldErrors: FieldErrors = {};
  for (const field of fields) {
    const name = options.form ? fieldInputName(field.key) : field.key;
    if (!options.form && !(name in input)) continue;
    const parsed = parseFieldValue(field, input[name]);
    if (!parsed.ok) fieldErrors[name] = parsed.error;
    else if (parsed.value === null && options.requireCustomer && field.required_for_customer)
      fieldErrors[name] =
        field.type === 'checkbox'
          ? `${field.label}: tick it to go on.`
          : `${field.label}: fill this in.`;
    else values.set(field.id, parsed.value);
  }
  if (!options.form)
    for (const name of Object.keys(input))
      if (!fields.some((field) => field.key === name))
        fieldErrors[name] = `There is no ticket field ${name}.`;
  return Object.keys(fieldErrors).length > 0 ? { ok: false, fieldErrors } : { ok: true, values };
}

/** Writes checked values onto a ticket: a value replaces the old one, null removes it. */
export async function writeFieldValues(
  db: Database,
  ticketId: number,
  values: FieldValues,
  now = new Date(),
) {
  const at = now.toISOString();
  for (const [fieldId, value] of values) {
    if (value === null) {
      await db
        .deleteFrom('ticket_field_values')
        .where('ticket_id', '=', ticketId)
        .where('field_id', '=', fieldId)
        .execute();
      continue;
    }
    await db
      .insertInto('ticket_field_values')
      .values({ ticket_id: ticketId, field_id: fieldId, value, updated_at: at })
      .onConflict((conflict) =>
        conflict.columns(['ticket_id', 'field_id']).doUpdateSet({ value, updated_at: at }),
      )
      .execute();
  }
}

/** Each ticket's values of fields in use, keyed by field id. */
export async function fieldValuesOf(
  db: Database,
  ticketIds: number[],
): Promise<Map<number, Map<number, string>>> {
  const byTicket = new Map<number, Map<number, string>>();
  if (ticketIds.length === 0) return byTicket;
  const rows = await db
    .selectFrom('ticket_field_values')
    .select(['ticket_id', 'field_id', 'value'])
    .where('ticket_id', 'in', ticketIds)
    .execute();
  for (const row of rows) {
    const values = byTicket.get(row.ticket_id) ?? new Map<number, string>();
    values.set(row.field_id, row.value);
    byTicket.set(row.ticket_id, values);
  }
  return byTicket;
}

/** `{ <key>: value }` for the API and webhooks, with every field in use (null when empty). */
export async function fieldsJson(
  db: Database,
  ticketId: number,
  options: { customer?: boolean } = {},
): Promise<Record<string, string | number | boolean | null>> {
  const [fields, values] = await Promise.all([
    ticketFieldsOf(db, options),
    fieldValuesOf(db, [ticketId]),
  ]);
  const own = values.get(ticketId);
  return Object.fromEntries(
    fields.map((field) => [field.key, jsonFieldValue(field, own?.get(field.id) ?? null)]),
  );
}

/** The labels of fields an agent must fill in before this ticket is solved, still empty. */
export async function missingToSolve(db: Database, ticketId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('ticket_fields')
    .leftJoin('ticket_field_values', (join) =>
      join
        .onRef('ticket_field_values.field_id', '=', 'ticket_fields.id')
        .on('ticket_field_values.ticket_id', '=', ticketId),
    )
    .select('ticket_fields.label')
    .where('ticket_fields.archived_at', 'is', null)
    .where('ticket_fields.required_to_solve', '=', 1)
    .where('ticket_field_values.value', 'is', null)
    .orderBy('ticket_fields.position')
    .execute();
  return rows.map((row) => row.label);
}

/** Moves a merged ticket's values to the one it merged into; the target's own values win. */
export async function moveFieldValues(db: Database, fromId: number, toId: number) {
  await sql`
    insert into ticket_field_values (ticket_id, field_id, value, updated_at)
    select ${toId}, field_id, value, updated_at from ticket_field_values where ticket_id = ${fromId}
    on conflict (ticket_id, field_id) do nothing`.execute(db);
}

/** A ticket as webhooks send it: its id, subject, priority and every field's value. */
export async function webhookTicket(db: Database, ticketId: number) {
  const ticket = await db
    .selectFrom('tickets')
    .select(['id', 'subject', 'priority', 'source', 'external_id'])
    .where('id', '=', ticketId)
    .executeTakeFirstOrThrow();
  return { ...ticket, fields: await fieldsJson(db, ticketId) };
}

/** What the requester told us in the fields they see, as they read it on their request. */
export async function customerDetails(db: Database, ticketId: number) {
  const [fields, values] = await Promise.all([
    ticketFieldsOf(db, { customer: true }),
    fieldValuesOf(db, [ticketId]),
  ]);
  const own = values.get(ticketId);
  return fields
    .map((field) => ({
      label: field.label,
      value: displayFieldValue(field, own?.get(field.id) ?? null),
    }))
    .filter((detail) => detail.value !== '');
}
