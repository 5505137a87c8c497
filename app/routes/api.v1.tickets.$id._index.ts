import type { LoaderFunctionArgs } from '@remix-run/node';
import { apiError, apiJson, idParam, methodNotAllowed, requireScope } from '~/api/respond.server';
import { ticketJson } from '~/api/views.server';
import { getDb } from '~/utils/db.server';

/** GET /api/v1/tickets/:id: the ticket with its messages, links and resolution. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireScope(request, 'read');
  const ticket = await ticketJson(getDb(), idParam(params.id));
  return ticket ? apiJson(ticket) : apiError(404, 'not_found', 'No ticket has that id.');
}

export function action() {
  return methodNotAllowed('GET');
}
