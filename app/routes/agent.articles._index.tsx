import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { articleStatuses, type ArticleStatus } from '#db/schema';
import { requireRole } from '~/auth/session.server';
import { articleStats } from '~/models/article-feedback.server';
import { articleStatusLabels } from '~/models/article-workflow';
import { visibilitySummaries, type VisibilitySummary } from '~/models/audiences.server';
import { formatDay } from '~/utils/dates';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Articles · Team' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'agent', 'moderator');
  const view = new URL(request.url).searchParams.get('view') ?? 'all';
  const status = articleStatuses.find(
    (candidate): candidate is ArticleStatus => candidate === view,
  );
  const db = getDb();
  const [articles, overdue] = await Promise.all([
    articleStats(db, view === 'overdue' ? { overdueAt: new Date() } : { status }),
    articleStats(db, { overdueAt: new Date() }),
  ]);
  const visibility = await visibilitySummaries(
    db,
    'article',
    articles.map((article) => article.id),
  );
  return {
    articles,
    visibility,
    view,
    overdueCount: overdue.length,
    now: new Date().toISOString(),
  };
}

const views: { key: string; label: string }[] = [
  { key: 'all', label: 'All' },
  ...articleStatuses.map((status) => ({ key: status, label: articleStatusLabels[status] })),
  { key: 'overdue', label: 'Review overdue' },
];

export default function TeamArticles() {
  const { articles, visibility, view, overdueCount, now } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  return (
    <>
      <header className="page-title-row">
        <h1>Articles</h1>
        <Link className="button" to="/agent/articles/new">
          New article
        </Link>
      </header>
      {overdueCount > 0 && view !== 'overdue' ? (
        <div className="alert alert-warning" role="status">
          {overdueCount} published {overdueCount === 1 ? 'article is' : 'articles are'} past{' '}
          {overdueCount === 1 ? 'its' : 'their'} review date.{' '}
          <Link to="?view=overdue">Review them</Link>
        </div>
      ) : null}
      <nav className="tabs" aria-label="Filter articles">
        {views.map((option) => (
          <Link
            key={option.key}
            to={`?${new URLSearchParams({ ...Object.fromEntries(searchParams), view: option.key })}`}
            className={view === option.key ? 'tab tab-current' : 'tab'}
            aria-current={view === option.key ? 'page' : undefined}
          >
            {option.label}
          </Link>
        ))}
      </nav>
      {articles.length === 0 ? (
        <p className="empty-state">No articles here.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Article</th>
                <th scope="col">Status</th>
                <th scope="col">Views</th>
                <th scope="col">Helpful</th>
                <th scope="col">Self-resolutions</th>
                <th scope="col">Review due</th>
              </tr>
            </thead>
            <tbody>
              {articles.map((article) => (
                <tr key={article.id}>
                  <td>
                    <Link to={`/agent/articles/${article.id}`}>{article.title}</Link>
                    <VisibilityBadge summary={visibility[article.id]} />
                    <div className="muted">Owner: {article.owner_name}</div>
                  </td>
                  <td>
                    <span className={`status status-${article.status}`}>
                      {articleStatusLabels[article.status]}
                    </span>
                  </td>
                  <td>{article.views.toLocaleString('en')}</td>
                  <td>
                    {article.helpful_percent === null ? (
                      <span className="muted">no votes</span>
                    ) : (
                      `${article.helpful_percent}% of ${article.votes}`
                    )}
                  </td>
                  <td>{article.self_resolutions}</td>
                  <td
                    className={
                      article.status === 'published' &&
                      article.review_due_at &&
                      article.review_due_at < now
                        ? 'overdue'
                        : undefined
                    }
                  >
                    {article.review_due_at ? (
                      <time dateTime={article.review_due_at}>
                        {formatDay(article.review_due_at)}
                      </time>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** Who may read an article, when it is not everyone: "Internal", or the groups it is listed for. */
function VisibilityBadge({ summary }: { summary: VisibilitySummary | undefined }) {
  if (!summary) return null;
  const label =
    summary.visibility === 'internal'
      ? 'Internal'
      : summary.visibility === 'signed_in'
        ? 'Signed-in only'
        : summary.names.join(', ') || 'Nobody listed';
  return (
    <span className={summary.visibility === 'internal' ? 'badge' : 'badge badge-soft'}>
      {label}
    </span>
  );
}
