import type { LoaderFunctionArgs } from '@remix-run/node';
import { feedResponse, questionFeed } from '~/models/feeds.server';
import { getTag } from '~/models/tags.server';
import { getDb } from '~/utils/db.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const tag = await getTag(db, (params.tag ?? '').slice(0, 40));
  if (!tag) throw new Response('Not found', { status: 404 });
  const name = encodeURIComponent(tag.name);
  return feedResponse(request, {
    title: `Questions tagged ${tag.name}`,
    subtitle: `New questions tagged ${tag.name}.`,
    selfPath: `/feeds/tags/${name}`,
    pagePath: `/tags/${name}`,
    entries: await questionFeed(db, { tagId: tag.id }),
  });
}
