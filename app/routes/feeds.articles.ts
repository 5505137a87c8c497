import type { LoaderFunctionArgs } from '@remix-run/node';
import { articleFeed, feedResponse } from '~/models/feeds.server';
import { getDb } from '~/utils/db.server';

export async function loader({ request }: LoaderFunctionArgs) {
  return feedResponse(request, {
    title: 'Knowledge base',
    subtitle: 'Articles recently published or updated.',
    selfPath: '/feeds/articles',
    pagePath: '/kb',
    entries: await articleFeed(getDb()),
  });
}
