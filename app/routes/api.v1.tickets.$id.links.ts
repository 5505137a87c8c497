import type { ActionFunctionArgs } from '@remix-run/node';
import { requireApiAccess } from '~/api/access.server';
import { linkBody } from '~/api/schemas';
import { apiError, apiJson, idParam, methodNotAllowed, readBody } from '~/api/respond.server';
import { ticketWriteJson } from '~/api/views.server';
import { linkTicket } from '~/models/ticket-links.server';
import { getDb } from '~/utils/db.server';

export function loader() {
  return methodNotAllowed('POST');
}

/** POST /api/v1/tickets/:id/links: links a thread, answer or article to the ticket. */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== 'POST') return methodNotAllowed('POST');
  const client = await requireApiAccess(request, 'workTickets');
  const id = idParam(params.id);
  const body = await readBody(request, linkBody);
  const db = getDb();
  const result = await linkTicket(db, client.actorId, id, body);
  if (!result.ok)
    return result.status === 404
      ? apiError(404, 'not_found', result.error)
      : apiError(400, 'invalid_target', result.error);
  return apiJson(await ticketWriteJson(db, client, id), 201);
}
