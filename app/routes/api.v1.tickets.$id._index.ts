import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireApiAccess } from '~/api/access.server';
import { apiError, apiJson, idParam, methodNotAllowed } from '~/api/respond.server';
import { ticketJson } from '~/api/views.server';
import { currentTicketId } from '~/models/ticket-merge.server';
import { getDb } from '~/utils/db.server';

/**
 * GET /api/v1/tickets/:id: the ticket with its messages, links and resolution. A customer's token
 * sees only a ticket its owner requested, as their requests page shows it. A merged ticket's id
 * answers with the ticket it was merged into.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiAccess(request, 'readTickets');
  const db = getDb();
  const id = idParam(params.id);
  const ticket = await ticketJson(db, id, caller.ticketsOf);
  if (!ticket) return apiError(404, 'not_found', 'No ticket has that id.');
  // A ticket merged into another answers with that one (its id tells the caller), when the
  // caller may read it.
  const current = await currentTicketId(db, id);
  const merged =
    current !== null && current !== id ? await ticketJson(db, current, caller.ticketsOf) : null;
  return apiJson(merged ?? ticket);
}

export function action() {
  return methodNotAllowed('GET');
}
