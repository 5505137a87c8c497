import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireApiAccess } from '~/api/access.server';
import { problemJson } from '~/api/problems.server';
import { apiError, apiJson, idParam, methodNotAllowed } from '~/api/respond.server';
import { getDb } from '~/utils/db.server';

/** GET /api/v1/problems/:id: one known issue (a customer's token: a public one only). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiAccess(request, 'readTickets');
  const problem = await problemJson(getDb(), caller, idParam(params.id));
  return problem ? apiJson(problem) : apiError(404, 'not_found', 'No known issue has that id.');
}

export function action() {
  return methodNotAllowed('GET');
}
