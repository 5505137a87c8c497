import type { ActionFunctionArgs } from '@remix-run/node';
import { requireApiAccess } from '~/api/access.server';
import { resolveBody } from '~/api/schemas';
import { apiError, apiJson, idParam, methodNotAllowed, readBody } from '~/api/respond.server';
import { ticketWriteJson } from '~/api/views.server';
import { resolveTicket } from '~/models/resolutions.server';
import { findActor } from '~/models/users.server';
import { getDb } from '~/utils/db.server';

export function loader() {
  return methodNotAllowed('POST');
}

/** POST /api/v1/tickets/:id/resolve: solves the ticket and records what resolved it. */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== 'POST') return methodNotAllowed('POST');
  const client = await requireApiAccess(request, 'workTickets');
  const id = idParam(params.id);
  const body = await readBody(request, resolveBody);
  const db = getDb();
  const actor = await findActor(db, client.actorId);
  const result = await resolveTicket(db, actor, id, {
    kind: body.kind,
    articleId: body.article_id,
    threadId: body.thread_id,
    postId: body.post_id,
    problemId: body.problem_id,
    note: body.note,
  });
  if (!result.ok) {
    const code = { 400: 'invalid_resolution', 403: 'forbidden', 404: 'not_found' }[result.status];
    return apiError(result.status, code, result.error);
  }
  return apiJson(await ticketWriteJson(db, client, id));
}
