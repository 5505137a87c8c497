import type { LoaderFunctionArgs } from '@remix-run/node';
import { sitemapIndexFile, sitemapResponse } from '~/models/sitemap-store.server';
import { getDb } from '~/utils/db.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const file = (params.file ?? '').slice(0, 40);
  // The index has its own address.
  if (file === sitemapIndexFile) throw new Response('Not found', { status: 404 });
  return sitemapResponse(request, getDb(), file);
}
