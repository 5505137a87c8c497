import type { LoaderFunctionArgs } from '@remix-run/node';
import { feedResponse, publicCategory, questionFeed } from '~/models/feeds.server';
import { getDb } from '~/utils/db.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const category = await publicCategory(db, (params.slug ?? '').slice(0, 100));
  if (!category) throw new Response('Not found', { status: 404 });
  const slug = encodeURIComponent(category.slug);
  return feedResponse(request, {
    title: category.name,
    subtitle: category.description || `New questions in ${category.name}.`,
    selfPath: `/feeds/categories/${slug}`,
    pagePath: `/categories/${slug}`,
    entries: await questionFeed(db, { categoryId: category.id }),
  });
}
