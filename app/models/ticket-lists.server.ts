import type { Database } from '#db/client';
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
  page?: number;
};

export const ticketPageSize = 50;

function ticketQuery(db: Database, filters: Omit<TicketFilters, 'page'>) {
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
