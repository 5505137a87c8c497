import type { LoaderFunctionArgs } from '@remix-run/node';
import { getDb } from '~/utils/db.server';
import { searchParamsFrom } from '~/utils/search-params.server';
import { searchContent } from '#search/engine';

/** Results as you type (header box, the ask form): a handful of titles, as JSON. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { params } = searchParamsFrom(new URL(request.url), 6);
  if (params.q.length < 2) return Response.json({ query: params.q, hits: [] });
  const results = await searchContent(getDb(), { ...params, facets: false });
  return Response.json(
    {
      query: params.q,
      hits: results.hits.map((hit) => ({
        key: hit.key,
        type: hit.type,
        title: hit.title,
        answered: hit.answered,
      })),
    },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}
