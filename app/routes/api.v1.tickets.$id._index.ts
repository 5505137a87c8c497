import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireApiAccess } from '~/api/access.server';
import { apiError, apiJson, idParam, methodNotAllowed } from '~/api/respond.server';
import { ticketJson } from '~/api/views.server';
import { getDb } from '~/utils/db.server';

/**
 * GET /api/v1/tickets/:id: the ticket with its messages, links and resolution. A customer's token
 * sees only a ticket its owner requested, as their requests page shows it.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiAccess(request, 'readTickets');
  const ticket = await ticketJson(getDb(), idParam(params.id), caller.ticketsOf);
  return ticket ? apiJson(ticket) : apiError(404, 'not_found', 'No ticket has that id.');
}

export function action() {
  return methodNotAllowed('GET');
}
