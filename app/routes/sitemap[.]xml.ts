import type { LoaderFunctionArgs } from '@remix-run/node';
import { sitemapFiles, sitemapIndexXml } from '~/models/sitemap.server';
import { getDb } from '~/utils/db.server';
import { publicOrigin } from '~/utils/public-url.server';
import { xmlResponse } from '~/utils/xml-response.server';

/** The sitemap index: one file per block of 50,000 ids of each kind of public page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const files = await sitemapFiles(getDb());
  return xmlResponse(request, sitemapIndexXml(publicOrigin(request), files), 'application/xml');
}
