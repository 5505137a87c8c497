import type { ActionFunctionArgs } from '@remix-run/node';
import { createTicketBody } from '~/api/schemas';
import { apiError, apiJson, methodNotAllowed, readBody, requireScope } from '~/api/respond.server';
import { ticketWriteJson } from '~/api/views.server';
import { createTicket, mirrorExternalTicket } from '~/models/tickets.server';
import { findOrCreateRequester } from '~/models/users.server';
import { getDb } from '~/utils/db.server';

export function loader() {
  return methodNotAllowed('POST');
}

/** POST /api/v1/tickets: files a ticket, or creates/updates the mirror of an external one. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return methodNotAllowed('POST');
  const client = await requireScope(request, 'tickets:write');
  const body = await readBody(request, createTicketBody);
  const db = getDb();
  const requesterId = await findOrCreateRequester(db, body.requester);
  const input = { subject: body.subject, body: body.body, categoryId: body.category_id ?? null };
  const result = body.external_id
    ? await mirrorExternalTicket(db, requesterId, {
        ...input,
        externalId: body.external_id,
        externalUrl: body.external_url ?? null,
      })
    : await createTicket(db, requesterId, input, {
        source: 'api',
        link: body.thread_id
          ? { type: 'thread', id: body.thread_id, relation: 'escalated_from' }
          : undefined,
        createdBy: client.actorId,
        externalUrl: body.external_url ?? null,
      }).then((created) => (created.ok ? { ...created, created: true } : created));
  if (!result.ok) {
    const [field, message] = Object.entries(result.fieldErrors)[0] ?? ['body', 'Not valid.'];
    return apiError(400, 'invalid_request', `${field}: ${message}`);
  }
  return apiJson(await ticketWriteJson(db, client, result.id), result.created ? 201 : 200);
}
