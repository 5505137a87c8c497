import { z } from 'zod';
import type { Database } from '#db/client';
import type { TicketView } from '~/models/support-labels';
import { ticketQuery, type TicketFilters } from '~/models/ticket-lists.server';
import { fieldParam, jsonFieldValue, optionsOf } from './field-values';
import { fieldValuesOf, type TicketField } from './ticket-fields.server';

/**
 * The desk's filters as its URL carries them (`?view=open&org=3&f.plan=Pro&f.vip=yes`), for the
 * list and its CSV export alike; custom fields filter by a dropdown's choice or a checkbox.
 */

const optionalId = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 40)
  .optional()
  .catch(undefined);

const filtersSchema = z.object({
  view: z.enum(['new', 'mine', 'at_risk', 'open', 'pending', 'solved']).catch('new'),
  sort: z.enum(['updated', 'due']).catch('updated'),
  category: optionalId,
  org: optionalId,
  assignee: z
    .union([z.literal('none'), optionalId])
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

/** The fields the desk filters by: dropdowns and checkboxes. */
export const filterableFields = (fields: TicketField[]) =>
  fields.filter((field) => field.type === 'dropdown' || field.type === 'checkbox');

/** Reads the desk's filters; a value that fits no field or choice is ignored, never an error. */
export function deskFilters(
  params: URLSearchParams,
  viewerId: number,
  fields: TicketField[],
): TicketFilters & { view: TicketView; page: number; sort: 'updated' | 'due' } {
  const parsed = filtersSchema.parse(Object.fromEntries(params));
  const fieldFilters: NonNullable<TicketFilters['fields']> = [];
  for (const field of filterableFields(fields)) {
    const wanted = params.get(fieldParam(field.key));
    if (!wanted) continue;
    if (field.type === 'checkbox' && (wanted === 'yes' || wanted === 'no'))
      fieldFilters.push({ fieldId: field.id, value: wanted === 'yes' ? '1' : null });
    if (field.type === 'dropdown' && optionsOf(field).includes(wanted))
      fieldFilters.push({ fieldId: field.id, value: wanted });
  }
  return {
    view: parsed.view,
    viewerId,
    categoryId: parsed.category,
    organizationId: parsed.org,
    assigneeId: parsed.assignee,
    sort: parsed.sort,
    page: parsed.page,
    fields: fieldFilters,
  };
}

/** The most rows one export holds. */
export const exportLimit = 10_000;

type Cell = string | number | null;

/** The tickets of one desk view and its filters as a table: one column per field in use. */
export async function exportTickets(
  db: Database,
  filters: TicketFilters,
  fields: TicketField[],
): Promise<{ columns: string[]; rows: Cell[][] }> {
  const tickets = await ticketQuery(db, filters)
    .innerJoin('users as requester', 'requester.id', 'tickets.requester_id')
    .leftJoin('users as assignee', 'assignee.id', 'tickets.assignee_id')
    .leftJoin('organizations', 'organizations.id', 'tickets.organization_id')
    .leftJoin('categories', 'categories.id', 'tickets.category_id')
    .select([
      'tickets.id',
      'tickets.subject',
      'tickets.status',
      'tickets.priority',
      'tickets.source',
      'requester.display_name as requester',
      'organizations.name as organization',
      'assignee.display_name as assignee',
      'categories.name as category',
      'tickets.created_at',
      'tickets.updated_at',
      'tickets.solved_at',
      'tickets.first_responded_at',
      'tickets.first_response_due_at',
      'tickets.resolution_due_at',
    ])
    .orderBy('tickets.id')
    .limit(exportLimit)
    .execute();
  const values = await fieldValuesOf(
    db,
    tickets.map((ticket) => ticket.id),
  );
  const ticketCells = [
    'id',
    'subject',
    'status',
    'priority',
    'source',
    'requester',
    'organization',
    'assignee',
    'category',
    'created_at',
    'updated_at',
    'solved_at',
    'first_responded_at',
    'first_response_due_at',
    'resolution_due_at',
  ] as const;
  const columns = [...ticketCells, ...fields.map((field) => field.key)];
  const rows = tickets.map((ticket) => {
    const own = values.get(ticket.id);
    return [
      ...ticketCells.map((column): Cell => ticket[column]),
      ...fields.map((field) => {
        const value = jsonFieldValue(field, own?.get(field.id) ?? null);
        return typeof value === 'boolean' ? (value ? 'yes' : 'no') : value;
      }),
    ];
  });
  return { columns, rows };
}
