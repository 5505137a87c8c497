import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireApiAccess } from '~/api/access.server';
import { apiError, apiJson, idParam, methodNotAllowed } from '~/api/respond.server';
import { threadJson } from '~/api/views.server';
import { publicOrigin } from '~/utils/public-url.server';
import { getDb } from '~/utils/db.server';

/** GET /api/v1/threads/:id: a question the token may see, with its answers (else 404). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiAccess(request, 'readContent');
  const origin = publicOrigin(request);
  const thread = await threadJson(getDb(), idParam(params.id), caller.viewer, origin);
  return thread ? apiJson(thread) : apiError(404, 'not_found', 'No thread has that id.');
}

export function action() {
  return methodNotAllowed('GET');
}
