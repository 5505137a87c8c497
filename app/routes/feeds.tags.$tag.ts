import type { LoaderFunctionArgs } from '@remix-run/node';
import { feedPaths } from '#lib/content-urls';
import { feedResponse, questionFeed } from '~/models/feeds.server';
import { getTag } from '~/models/tags.server';
import { getDb } from '~/utils/db.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const tag = await getTag(db, (params.tag ?? '').slice(0, 40));
  if (!tag) throw new Response('Not found', { status: 404 });
  return feedResponse(request, {
    title: `Questions tagged ${tag.name}`,
    subtitle: `New questions tagged ${tag.name}.`,
    selfPath: feedPaths.tag(tag.name),
    pagePath: `/tags/${encodeURIComponent(tag.name)}`,
    entries: await questionFeed(db, { tagId: tag.id }),
  });
}
