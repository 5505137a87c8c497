import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requireApiAccess, ticketRequester } from '~/api/access.server';
import { createTicketBody, ticketListQuery } from '~/api/schemas';
import { apiError, apiJson, methodNotAllowed, readBody } from '~/api/respond.server';
import { ticketListJson, ticketWriteJson } from '~/api/views.server';
import { readFieldValues, ticketFieldsOf } from '~/models/ticket-fields/ticket-fields.server';
import { createTicket, mirrorExternalTicket } from '~/models/tickets.server';
import { getDb } from '~/utils/db.server';

/**
 * GET /api/v1/tickets: the tickets the token may see, most recently active first (a customer's
 * token: only those its owner requested).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requireApiAccess(request, 'readTickets');
  const parsed = ticketListQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return apiError(
      400,
      'invalid_request',
      `${issue?.path.join('.') ?? 'query'}: ${issue?.message}`,
    );
  }
  return apiJson(await ticketListJson(getDb(), caller, parsed.data));
}

/** POST /api/v1/tickets: files a ticket, or creates/updates the mirror of an external one. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return methodNotAllowed('GET, POST');
  const client = await requireApiAccess(request, 'fileTickets');
  const body = await readBody(request, createTicketBody);
  const db = getDb();
  const requesterId = await ticketRequester(db, client, body);
  const input = { subject: body.subject, body: body.body, categoryId: body.category_id ?? null };
  // A customer's token sets only the fields customers see, as on the contact form.
  const fields = readFieldValues(
    await ticketFieldsOf(db, { customer: client.ticketsOf !== null }),
    body.fields ?? {},
  );
  if (!fields.ok) {
    const [key, message] = Object.entries(fields.fieldErrors)[0]!;
    return apiError(400, 'invalid_request', `fields.${key}: ${message}`);
  }
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
        priority: body.priority,
        fields: fields.values,
      }).then((created) => (created.ok ? { ...created, created: true } : created));
  if (!result.ok) {
    const [field, message] = Object.entries(result.fieldErrors)[0] ?? ['body', 'Not valid.'];
    return apiError(400, 'invalid_request', `${field}: ${message}`);
  }
  return apiJson(await ticketWriteJson(db, client, result.id), result.created ? 201 : 200);
}
