import type { ActionFunctionArgs } from '@remix-run/node';
import { requireApiAccess } from '~/api/access.server';
import { problemUpdateBody } from '~/api/problems';
import { problemJson } from '~/api/problems.server';
import { apiError, apiJson, idParam, methodNotAllowed, readBody } from '~/api/respond.server';
import { postUpdate } from '~/models/problems/problem-updates.server';
import { findActor } from '~/models/users.server';
import { getDb } from '~/utils/db.server';

export function loader() {
  return methodNotAllowed('POST');
}

/** POST /api/v1/problems/:id/updates: a new state with a note, from the engineering tracker. */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== 'POST') return methodNotAllowed('POST');
  const client = await requireApiAccess(request, 'workTickets');
  const id = idParam(params.id);
  const body = await readBody(request, problemUpdateBody);
  const db = getDb();
  const actor = await findActor(db, client.actorId);
  const posted = await postUpdate(db, actor, id, {
    state: body.state,
    note: body.note ?? '',
    public: body.public === false ? 0 : 1,
    solveLinked: body.solve_linked ?? false,
  });
  if (!posted.ok) {
    const code = { 400: 'invalid_request', 403: 'forbidden', 404: 'not_found' }[posted.status];
    return apiError(posted.status, code, posted.error);
  }
  return apiJson(await problemJson(db, client, id));
}
