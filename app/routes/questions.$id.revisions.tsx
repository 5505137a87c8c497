import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getUser, getViewer } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { TextDiff } from '~/components/text-diff';
import { answersOfThread } from '~/models/posts.server';
import { revisionsOfThread } from '~/models/revisions.server';
import { getThreadForPage } from '~/models/threads.server';
import { formatDate } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { requireIdParam } from '~/utils/params';
import { questionPath } from '#lib/content-urls';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `History: ${data.thread.title}` : 'History' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await getUser(request);
  const thread = await getThreadForPage(
    db,
    requireIdParam(params.id),
    user,
    await getViewer(request),
  );
  if (!thread) throw new Response('Not found', { status: 404 });
  const answers = await answersOfThread(db, thread.id, user, 'votes', thread.accepted_post_id);
  const revisions = await revisionsOfThread(
    db,
    thread.id,
    answers.map((answer) => answer.id),
  );
  const groups = [
    {
      key: 'thread',
      heading: 'Question',
      revisions: revisions.filter((revision) => revision.target_type === 'thread'),
    },
    ...answers.map((answer) => ({
      key: `post-${answer.id}`,
      heading: `Answer by ${answer.author_name}`,
      revisions: revisions.filter(
        (revision) => revision.target_type === 'post' && revision.target_id === answer.id,
      ),
    })),
  ].filter((group) => group.revisions.length > 0);
  return { thread: { id: thread.id, title: thread.title, slug: thread.slug }, groups };
}

export default function RevisionsPage() {
  const { thread, groups } = useLoaderData<typeof loader>();
  return (
    <div className="page narrow">
      <p className="breadcrumbs">
        <Link to={questionPath(thread)}>Back to the question</Link>
      </p>
      <h1>History of “{thread.title}”</h1>
      {groups.map((group) => (
        <section key={group.key} className="revision-group" aria-label={group.heading}>
          <h2>{group.heading}</h2>
          <ol className="revision-list" reversed>
            {[...group.revisions].reverse().map((revision) => {
              const previous = group.revisions.find(
                (candidate) => candidate.number === revision.number - 1,
              );
              return (
                <li key={revision.id} className="card revision">
                  <header className="revision-header">
                    <strong>
                      {revision.number === 1 ? 'Original' : `Revision ${revision.number}`}
                    </strong>
                    <span className="muted">
                      {' '}
                      by{' '}
                      <Link to={`/users/${encodeURIComponent(revision.author_username)}`}>
                        {revision.author_name}
                      </Link>
                      ,{' '}
                      <time dateTime={revision.created_at}>{formatDate(revision.created_at)}</time>
                    </span>
                    {revision.reason ? (
                      <p className="revision-reason">“{revision.reason}”</p>
                    ) : null}
                  </header>
                  {revision.title !== null && previous?.title !== revision.title ? (
                    <div className="revision-field">
                      <h3>Title</h3>
                      <TextDiff
                        before={previous ? (previous.title ?? '') : null}
                        after={revision.title}
                      />
                    </div>
                  ) : null}
                  {previous?.body_md !== revision.body_md ? (
                    <div className="revision-field">
                      <h3>Body</h3>
                      <TextDiff
                        before={previous ? previous.body_md : null}
                        after={revision.body_md}
                      />
                    </div>
                  ) : null}
                  {revision.tags !== null && previous?.tags !== revision.tags ? (
                    <div className="revision-field">
                      <h3>Tags</h3>
                      <TextDiff
                        before={previous ? (previous.tags ?? '') : null}
                        after={revision.tags}
                      />
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ol>
        </section>
      ))}
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        404: ({ params }) => <p>No question #{params.id}. It may have been removed.</p>,
      }}
    />
  );
}
