import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireApiAccess } from '~/api/access.server';
import { problemJson } from '~/api/problems.server';
import { apiJson, methodNotAllowed } from '~/api/respond.server';
import { listProblems } from '~/models/problems/problems.server';
import { getDb } from '~/utils/db.server';

/** GET /api/v1/problems: known issues (a customer's token: public ones only). */
export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requireApiAccess(request, 'readTickets');
  const db = getDb();
  const rows = await listProblems(db, { publicOnly: caller.ticketsOf !== null });
  const problems = [];
  for (const row of rows) {
    const problem = await problemJson(db, caller, row.id);
    if (problem) problems.push(problem);
  }
  return apiJson({ problems });
}

export function action() {
  return methodNotAllowed('GET');
}
