import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireRole } from '~/auth/session.server';
import { toCsv } from '~/models/analytics/gap-report.server';
import { deskFilters, exportTickets } from '~/models/ticket-fields/desk.server';
import { ticketFieldsOf } from '~/models/ticket-fields/ticket-fields.server';
import { getDb } from '~/utils/db.server';

/** GET /agent/tickets/export?view=&…: the desk's view, with its filters, as CSV. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, 'agent', 'moderator');
  const db = getDb();
  const fields = await ticketFieldsOf(db);
  const filters = deskFilters(new URL(request.url).searchParams, user.id, fields);
  const table = await exportTickets(db, filters, fields);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(toCsv(table), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="tickets-${filters.view}-${day}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
