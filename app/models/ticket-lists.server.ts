import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '#db/client';
import type { DB, TicketStatus } from '#db/schema';
import type { TicketView } from './support-labels';
import { ticketViews } from './support-labels';
import { ticketColumns } from './tickets.server';

// The lists of tickets: a customer's own requests and the agent desk's views.

/** A customer's own tickets, most recently active first. */
export async function requestsOf(db: Database, userId: number) {
  return db
    .selectFrom('tickets')
    .select([...ticketColumns])
    .where('requester_id', '=', userId)
    .orderBy('tickets.updated_at', 'desc')
    .limit(200)
    .execute();
}

export type TicketFilters = {
  view: TicketView;
  viewerId: number;
  categoryId?: number;
  organizationId?: number;
  assigneeId?: number | 'none';
  /** Custom field values to match; null: the field has no value (an unticked checkbox). */
  fields?: { fieldId: number; value: string | null }[];
  /** 'due': the ticket whose next SLA target comes first, first. */
  sort?: 'updated' | 'due';
  page?: number;
  now?: Date;
};

/** How close a target must be to put its ticket in the desk's "At risk" view. */
export const atRiskWithinMs = 60 * 60_000;

/** The next SLA target a ticket still has to meet: its first reply, else its solution. */
const nextDue = sql<string | null>`case
  when tickets.first_responded_at is null and tickets.first_response_due_at is not null
    and (tickets.resolution_due_at is null or tickets.first_response_due_at < tickets.resolution_due_at)
  then tickets.first_response_due_at
  when tickets.solved_at is null then tickets.resolution_due_at
  end`;

export const ticketPageSize = 50;

export function ticketQuery(db: Database, filters: Omit<TicketFilters, 'page'>) {
  let query = db.selectFrom('tickets');
  switch (filters.view) {
    case 'new':
      query = query.where('tickets.status', '=', 'new');
      break;
    case 'mine':
      query = query
        .where('tickets.assignee_id', '=', filters.viewerId)
        .where('tickets.status', 'in', ['new', 'open', 'pending']);
      break;
    case 'at_risk': {
      const soon = new Date((filters.now ?? new Date()).getTime() + atRiskWithinMs).toISOString();
      query = query
        .where('tickets.status', 'in', ['new', 'open', 'pending'])
        .where(nextDue, '<=', soon);
      break;
    }
    case 'open':
      query = query.where('tickets.status', '=', 'open');
      break;
    case 'pending':
      query = query.where('tickets.status', '=', 'pending');
      break;
    case 'solved':
      query = query.where('tickets.status', 'in', ['solved', 'closed']);
      break;
  }
  if (filters.categoryId) query = query.where('tickets.category_id', '=', filters.categoryId);
  if (filters.organizationId)
    query = query.where('tickets.organization_id', '=', filters.organizationId);
  if (filters.assigneeId === 'none') query = query.where('tickets.assignee_id', 'is', null);
  else if (filters.assigneeId) query = query.where('tickets.assignee_id', '=', filters.assigneeId);
  for (const { fieldId, value } of filters.fields ?? []) {
    const hasValue = (eb: ExpressionBuilder<DB, 'tickets'>) =>
      eb.exists(
        eb
          .selectFrom('ticket_field_values')
          .select('ticket_field_values.ticket_id')
          .whereRef('ticket_field_values.ticket_id', '=', 'tickets.id')
          .where('ticket_field_values.field_id', '=', fieldId)
          .$if(value !== null, (inner) => inner.where('ticket_field_values.value', '=', value!)),
      );
    query = query.where((eb) => (value === null ? eb.not(hasValue(eb)) : hasValue(eb)));
  }
  return query;
}

/** The agent desk's list for one view and filters, with the count in every view. */
export async function listTickets(db: Database, filters: TicketFilters) {
  const page = Math.max(1, filters.page ?? 1);
  const [tickets, counts] = await Promise.all([
    ticketQuery(db, filters)
      .innerJoin('users as requester', 'requester.id', 'tickets.requester_id')
      .leftJoin('users as assignee', 'assignee.id', 'tickets.assignee_id')
      .leftJoin('organizations', 'organizations.id', 'tickets.organization_id')
      .select([
        ...ticketColumns,
        'tickets.organization_id',
        'requester.display_name as requester_name',
        'assignee.display_name as assignee_name',
        'organizations.name as organization_name',
      ])
      .select([
        'tickets.priority',
        'tickets.first_responded_at',
        'tickets.first_response_due_at',
        'tickets.resolution_due_at',
      ])
      .$if(filters.sort === 'due' || filters.view === 'at_risk', (query) =>
        // Tickets with no target last, on SQLite and PostgreSQL alike.
        query.orderBy(sql`${nextDue} is null`).orderBy(nextDue),
      )
      .orderBy('tickets.updated_at', filters.view === 'solved' ? 'desc' : 'asc')
      .orderBy('tickets.id')
      .limit(ticketPageSize + 1)
      .offset((page - 1) * ticketPageSize)
      .execute(),
    Promise.all(
      ticketViews.map(async ({ key }) => {
        const row = await ticketQuery(db, { ...filters, view: key })
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        return [key, Number(row.n)] as const;
      }),
    ),
  ]);
  return {
    tickets: tickets.slice(0, ticketPageSize),
    hasMore: tickets.length > ticketPageSize,
    page,
    counts: Object.fromEntries(counts) as Record<TicketView, number>,
  };
}

export const apiTicketPageSize = 50;

/**
 * Tickets for API v1's list: every ticket, or only those one person requested (`requesterId`),
 * optionally in one status, most recently active first.
 */
export async function ticketsForApi(
  db: Database,
  filters: { requesterId: number | null; status?: TicketStatus; page: number },
) {
  let query = db
    .selectFrom('tickets')
    .innerJoin('users as requester', 'requester.id', 'tickets.requester_id')
    .select([
      'tickets.id',
      'tickets.subject',
      'tickets.status',
      'tickets.priority',
      'tickets.created_at',
      'tickets.updated_at',
      'tickets.requester_id',
      'requester.display_name as requester_name',
    ]);
  if (filters.requesterId !== null)
    query = query.where('tickets.requester_id', '=', filters.requesterId);
  if (filters.status) query = query.where('tickets.status', '=', filters.status);
  const rows = await query
    .orderBy('tickets.updated_at', 'desc')
    .orderBy('tickets.id', 'desc')
    .limit(apiTicketPageSize + 1)
    .offset((filters.page - 1) * apiTicketPageSize)
    .execute();
  return { tickets: rows.slice(0, apiTicketPageSize), hasMore: rows.length > apiTicketPageSize };
}
