import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { GeneralErrorBoundary } from '~/components/error-page';
import { CursorPager, ThreadList, ThreadTabs } from '~/components/thread-list';
import { getViewer } from '~/auth/session.server';
import { categoryPageFor } from '~/models/categories.server';
import { listThreads, threadListParams } from '~/models/thread-lists.server';
import { pinnedThreads } from '~/models/thread-moderation.server';
import { getDb } from '~/utils/db.server';
import { clipText } from '~/utils/markdown.server';
import { feedLink, siteNameOf, socialMeta } from '~/utils/meta';
import { publicOrigin } from '~/utils/public-url.server';
import { feedPaths, questionPath } from '#lib/content-urls';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: 'Category not found' }];
  const { category, joinGroup, canonicalUrl, cardDescription } = data;
  const title = joinGroup ? `${category.name}: a private community` : category.name;
  const siteName = siteNameOf(matches);
  return [
    { title },
    { name: 'description', content: cardDescription },
    { tagName: 'link', rel: 'canonical', href: canonicalUrl },
    ...socialMeta(
      { title, description: cardDescription, url: canonicalUrl, type: 'website' },
      siteName,
    ),
    // A private community's reader sees none of its questions, so it offers no feed of them.
    ...(joinGroup
      ? []
      : [
          feedLink(`${siteName}: questions in ${category.name}`, feedPaths.category(category.slug)),
        ]),
    feedLink(`${siteName}: newest questions`, feedPaths.questions),
  ];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const viewer = await getViewer(request);
  const found = await categoryPageFor(db, (params.slug ?? '').slice(0, 60), viewer);
  if (!found) throw new Response('Not found', { status: 404 });
  const { category, joinGroup } = found;
  const card = {
    canonicalUrl: `${publicOrigin(request)}/categories/${category.slug}`,
    cardDescription: category.description
      ? clipText(category.description, 200)
      : `Questions and answers about ${category.name}.`,
  };
  // A private community shows who may join it, never its questions or how many there are.
  if (joinGroup)
    return {
      threads: [],
      next: null,
      previous: null,
      tab: 'newest',
      category,
      pinned: [],
      joinGroup,
      ...card,
    };
  const { tab, after, before } = threadListParams(new URL(request.url));
  const [page, pinned] = await Promise.all([
    listThreads(db, viewer, { tab, categoryId: category.id, after, before }),
    after || before ? [] : pinnedThreads(db, category.id),
  ]);
  return { ...page, tab, category, pinned, joinGroup: null, ...card };
}

export default function CategoryPage() {
  const { threads, next, previous, tab, category, pinned, joinGroup } =
    useLoaderData<typeof loader>();
  if (joinGroup) return <PrivateCommunity category={category} group={joinGroup} />;
  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to="/questions">Community</Link> / {category.name}
      </p>
      <header className="page-title-row">
        <div>
          <h1>{category.name}</h1>
          {category.description ? <p className="muted">{category.description}</p> : null}
        </div>
        <Link className="button" to="/questions/ask">
          Ask a question
        </Link>
      </header>
      {pinned.length > 0 ? (
        <section className="card pinned" aria-labelledby="pinned-title">
          <h2 id="pinned-title">Pinned</h2>
          <ul className="link-list">
            {pinned.map((thread) => (
              <li key={thread.id}>
                <span aria-hidden="true">📌 </span>
                <Link to={questionPath(thread)}>{thread.title}</Link>
                <span className="muted">
                  {' '}
                  · {thread.answer_count} {thread.answer_count === 1 ? 'answer' : 'answers'}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <ThreadTabs current={tab} />
      <ThreadList threads={threads} empty="No questions in this category in this view yet." />
      <CursorPager next={next} previous={previous} />
    </div>
  );
}

/** A category for a group the reader is not in: what it is, and where to ask to join. */
function PrivateCommunity({
  category,
  group,
}: {
  category: { name: string; description: string | null };
  group: { id: number; name: string };
}) {
  return (
    <div className="page narrow">
      <p className="breadcrumbs">
        <Link to="/questions">Community</Link> / {category.name}
      </p>
      <section className="card stack" aria-labelledby="private-title">
        <h1 id="private-title">{category.name}</h1>
        {category.description ? <p className="muted">{category.description}</p> : null}
        <p>This is a private community, open to the members of {group.name}.</p>
        <p>
          <Link className="button" to={`/groups/${group.id}`}>
            Ask to join {group.name}
          </Link>
        </p>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        404: ({ params }) => (
          <p>No category called “{params.slug}”. It may have been renamed or removed.</p>
        ),
      }}
    />
  );
}
