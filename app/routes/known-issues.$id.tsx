import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { getUser, requireUser } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { ProblemState } from '~/components/problem-state';
import { isFinished, problemStateLabels } from '~/models/problems/labels';
import { problemTimeline } from '~/models/problems/problem-page.server';
import {
  affectedPeople,
  followProblem,
  isFollowing,
  visibleProblem,
} from '~/models/problems/problems.server';
import { formatDay } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { renderMarkdown } from '~/utils/markdown.server';
import { requireIdParam } from '~/utils/params';

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.problem.title} · Known issues` },
        { name: 'description', content: data.description },
      ]
    : [{ title: 'Known issue not found' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requireIdParam(params.id);
  const db = getDb();
  const user = await getUser(request);
  // Customers see public known issues only; any other id is not found, as if it did not exist.
  const problem = await db
    .selectFrom('problems')
    .leftJoin('categories', 'categories.id', 'problems.category_id')
    .leftJoin('articles', (join) =>
      join
        .onRef('articles.id', '=', 'problems.workaround_article_id')
        .on('articles.status', '=', 'published'),
    )
    .select([
      'problems.id',
      'problems.title',
      'problems.state',
      'problems.public',
      'problems.public_summary_md',
      'problems.created_at',
      'problems.updated_at',
      'problems.fixed_at',
      'categories.name as category_name',
      'articles.title as workaround_title',
      'articles.slug as workaround_slug',
    ])
    .where('problems.id', '=', id)
    .executeTakeFirst();
  if (!problem || !(await visibleProblem(db, user, id)))
    throw new Response('Not found', { status: 404 });
  const [timeline, people, following] = await Promise.all([
    problemTimeline(db, id, { publicOnly: true }),
    affectedPeople(db, id),
    user ? isFollowing(db, id, user.id) : false,
  ]);
  return {
    problem,
    summary_html: renderMarkdown(problem.public_summary_md).html,
    description: problem.public_summary_md.slice(0, 160) || problemStateLabels[problem.state],
    timeline,
    affected: people.length,
    signedIn: Boolean(user),
    following,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = requireIdParam(params.id);
  const user = await requireUser(request);
  const formData = await request.formData();
  const followed = await followProblem(getDb(), user, id, formData.get('follow') === 'on');
  if (!followed.ok) throw new Response(followed.error, { status: followed.status });
  return redirect(`/known-issues/${id}`);
}

export default function KnownIssue() {
  const { problem, summary_html, timeline, affected, signedIn, following } =
    useLoaderData<typeof loader>();
  const finished = isFinished(problem.state);
  return (
    <div className="page narrow">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/known-issues">Known issues</Link>
      </nav>
      <header className="thread-header">
        <h1>{problem.title}</h1>
        <div className="thread-facts">
          <ProblemState state={problem.state} />
          <span className="muted">
            {problem.category_name ? `${problem.category_name} · ` : ''}
            Since {formatDay(problem.created_at)} · {affected}{' '}
            {affected === 1 ? 'person affected' : 'people affected'}
          </span>
        </div>
      </header>
      {summary_html ? (
        <div className="prose card" dangerouslySetInnerHTML={{ __html: summary_html }} />
      ) : null}
      {problem.workaround_slug ? (
        <p className="known-issue-banner">
          <strong>Workaround:</strong>{' '}
          <Link to={`/kb/${problem.workaround_slug}`}>{problem.workaround_title}</Link>
        </p>
      ) : null}
      {finished ? null : signedIn ? (
        <Form method="post" className="inline-controls">
          <input type="hidden" name="follow" value={following ? 'off' : 'on'} />
          <button type="submit" className={following ? 'button button-secondary' : 'button'}>
            {following ? 'Stop following' : 'This affects me too'}
          </button>
          <span className="muted">
            {following
              ? 'You will get one mail when it is fixed.'
              : 'Follow it and you will get one mail when it is fixed.'}
          </span>
        </Form>
      ) : (
        <p>
          <Link to={`/login?redirectTo=/known-issues/${problem.id}`}>Sign in</Link> to follow it and
          hear when it is fixed.
        </p>
      )}
      {timeline.length > 0 ? (
        <section aria-labelledby="updates-title">
          <h2 id="updates-title">Updates</h2>
          <ol className="plain-list timeline">
            {timeline.map((update) => (
              <li key={update.id}>
                <ProblemState state={update.state} />{' '}
                <span className="muted">{formatDay(update.created_at)}</span>
                {update.note_md ? (
                  <div className="prose" dangerouslySetInnerHTML={{ __html: update.note_html }} />
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary statusHandlers={{ 404: () => <p>No such known issue.</p> }} />;
}
