import type { LoaderFunctionArgs } from '@remix-run/node';
import { sitemapUrls, urlsetXml } from '~/models/sitemap.server';
import { getDb } from '~/utils/db.server';
import { publicOrigin } from '~/utils/public-url.server';
import { xmlResponse } from '~/utils/xml-response.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const urls = await sitemapUrls(getDb(), (params.file ?? '').slice(0, 40));
  if (!urls) throw new Response('Not found', { status: 404 });
  return xmlResponse(request, urlsetXml(publicOrigin(request), urls), 'application/xml');
}
