import type { LoaderFunctionArgs } from '@remix-run/node';
import { feedPaths } from '#lib/content-urls';
import { feedResponse, publicCategory, questionFeed } from '~/models/feeds.server';
import { getDb } from '~/utils/db.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const category = await publicCategory(db, (params.slug ?? '').slice(0, 100));
  if (!category) throw new Response('Not found', { status: 404 });
  return feedResponse(request, {
    title: category.name,
    subtitle: category.description || `New questions in ${category.name}.`,
    selfPath: feedPaths.category(category.slug),
    pagePath: `/categories/${encodeURIComponent(category.slug)}`,
    entries: await questionFeed(db, { categoryId: category.id }),
  });
}
