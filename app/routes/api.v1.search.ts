import type { LoaderFunctionArgs } from '@remix-run/node';
import { searchQuery } from '~/api/schemas';
import { requireApiAccess } from '~/api/access.server';
import { apiError, apiJson, methodNotAllowed } from '~/api/respond.server';
import { plainText } from '~/components/highlighted';
import { viewerKeys, viewerOfUser } from '~/models/visibility.server';
import { getConfig } from '~/utils/config.server';
import { getDb } from '~/utils/db.server';
import { searchContent } from '#search/engine';

/** GET /api/v1/search?q=: the same ranked results as the site's search. */
export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requireApiAccess(request, 'readContent');
  const parsed = searchQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return apiError(400, 'invalid_request', `${issue?.path.join('.') ?? 'q'}: ${issue?.message}`);
  }
  const origin = getConfig().PUBLIC_URL ?? new URL(request.url).origin;
  const db = getDb();
  // A personal token sees what its owner sees; a site token, made by an admin, sees everything.
  const audience = caller.personal
    ? (viewerKeys(await viewerOfUser(db, caller.personal.id)) ?? 'all')
    : 'all';
  const results = await searchContent(db, { ...parsed.data, audience, facets: false });
  return apiJson({
    query: parsed.data.q,
    total: results.total,
    engine: results.engine,
    hits: results.hits.map((hit) => ({
      type: hit.type,
      id: hit.id,
      title: plainText(hit.title),
      snippet: plainText(hit.snippet),
      url: `${origin}${hit.url}`,
      answered: hit.answered,
    })),
  });
}

export function action() {
  return methodNotAllowed('GET');
}
