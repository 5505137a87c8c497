import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireApiAccess } from '~/api/access.server';
import { apiError, apiJson, methodNotAllowed } from '~/api/respond.server';
import { articleJson } from '~/api/views.server';
import { getConfig } from '~/utils/config.server';
import { getDb } from '~/utils/db.server';

/** GET /api/v1/articles/:slug: a published article the token may see (else 404). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiAccess(request, 'readContent');
  const origin = getConfig().PUBLIC_URL ?? new URL(request.url).origin;
  const article = await articleJson(
    getDb(),
    (params.slug ?? '').slice(0, 100),
    caller.viewer,
    origin,
  );
  return article
    ? apiJson(article)
    : apiError(404, 'not_found', 'No published article has that slug.');
}

export function action() {
  return methodNotAllowed('GET');
}
