import type { LoaderFunctionArgs } from '@remix-run/node';
import { feedPaths } from '#lib/content-urls';
import { articleFeed, feedResponse } from '~/models/feeds.server';
import { getDb } from '~/utils/db.server';

export async function loader({ request }: LoaderFunctionArgs) {
  return feedResponse(request, {
    title: 'Knowledge base',
    subtitle: 'Articles recently published or updated.',
    selfPath: feedPaths.articles,
    pagePath: '/kb',
    entries: await articleFeed(getDb()),
  });
}
