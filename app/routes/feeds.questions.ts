import type { LoaderFunctionArgs } from '@remix-run/node';
import { feedPaths } from '#lib/content-urls';
import { feedResponse, questionFeed } from '~/models/feeds.server';
import { getDb } from '~/utils/db.server';

export async function loader({ request }: LoaderFunctionArgs) {
  return feedResponse(request, {
    title: 'Newest questions',
    subtitle: 'New questions from the community.',
    selfPath: feedPaths.questions,
    pagePath: '/questions',
    entries: await questionFeed(getDb()),
  });
}
