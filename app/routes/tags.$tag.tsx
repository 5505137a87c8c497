import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { GeneralErrorBoundary } from '~/components/error-page';
import { CursorPager, ThreadList, ThreadTabs } from '~/components/thread-list';
import { getViewer } from '~/auth/session.server';
import { getTag } from '~/models/tags.server';
import { listThreads, threadListParams } from '~/models/thread-lists.server';
import { getDb } from '~/utils/db.server';
import { feedLink, siteNameOf } from '~/utils/meta';
import { feedPaths } from '#lib/content-urls';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: 'Tag not found' }];
  const { name } = data.tag;
  return [
    { title: `Questions tagged ${name}` },
    feedLink(`${siteNameOf(matches)}: questions tagged ${name}`, feedPaths.tag(name)),
  ];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const tag = await getTag(db, (params.tag ?? '').slice(0, 40));
  if (!tag) throw new Response('Not found', { status: 404 });
  const { tab, after, before } = threadListParams(new URL(request.url));
  const page = await listThreads(db, await getViewer(request), {
    tab,
    tagId: tag.id,
    after,
    before,
  });
  return { ...page, tab, tag };
}

export default function TagPage() {
  const { threads, next, previous, tab, tag } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to="/questions">Community</Link> / Tags
      </p>
      <header className="page-title-row">
        <h1>
          Questions tagged <span className="tag tag-large">{tag.name}</span>
        </h1>
        <Link className="button" to="/questions/ask">
          Ask a question
        </Link>
      </header>
      <ThreadTabs current={tab} />
      <ThreadList threads={threads} empty="No questions with this tag in this view." />
      <CursorPager next={next} previous={previous} />
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{ 404: ({ params }) => <p>No tag called “{params.tag}”.</p> }}
    />
  );
}
