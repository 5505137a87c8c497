import type { LoaderFunctionArgs } from '@remix-run/node';
import { searchSuggestions } from '~/models/search-suggestions.server';
import { getDb } from '~/utils/db.server';

// NOTE: the production server answers this path itself, before Remix (see server.ts); this
// loader serves the development server and the tests.
export async function loader({ request }: LoaderFunctionArgs) {
  return Response.json(await searchSuggestions(getDb(), new URL(request.url)), {
    headers: { 'Cache-Control': 'no-store' },
  });
}
