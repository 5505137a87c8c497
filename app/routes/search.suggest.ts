import type { LoaderFunctionArgs } from '@remix-run/node';
import { getViewer } from '~/auth/session.server';
import { searchSuggestions } from '~/models/search-suggestions.server';
import { viewerKeys } from '~/models/visibility.server';
import { getDb } from '~/utils/db.server';

// NOTE: the production server answers this path itself, before Remix (see server.ts); this
// loader serves the development server and the tests.
export async function loader({ request }: LoaderFunctionArgs) {
  const audience = viewerKeys(await getViewer(request)) ?? 'all';
  return Response.json(await searchSuggestions(getDb(), new URL(request.url), audience), {
    headers: { 'Cache-Control': 'no-store' },
  });
}
