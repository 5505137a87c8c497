import type { LoaderFunctionArgs } from '@remix-run/node';
import { sitemapIndexFile, sitemapResponse } from '~/models/sitemap-store.server';
import { getDb } from '~/utils/db.server';

/** The sitemap index: one file per block of 50,000 ids of each kind of public page. */
export async function loader({ request }: LoaderFunctionArgs) {
  return sitemapResponse(request, getDb(), sitemapIndexFile);
}
