import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { ProblemState } from '~/components/problem-state';
import { listProblems } from '~/models/problems/problems.server';
import { timeAgo } from '~/utils/dates';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Known issues · Team' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'agent', 'moderator');
  const view = new URL(request.url).searchParams.get('view') === 'closed' ? 'closed' : 'open';
  const problems = await listProblems(getDb(), {
    state: view === 'closed' ? 'finished' : 'open',
  });
  return { problems, view, now: Date.now() };
}

export default function KnownIssues() {
  const { problems, view, now } = useLoaderData<typeof loader>();
  return (
    <>
      <header className="page-title-row">
        <h1>Known issues</h1>
        <Link to="/agent/problems/new" className="button">
          New known issue
        </Link>
      </header>
      <p className="muted">
        One defect behind many tickets and questions. Link what reports it, tell customers where it
        stands, and when it is fixed everyone it affects hears once.
      </p>
      <nav className="tabs" aria-label="Known issue views">
        <Link to="?view=open" className={view === 'open' ? 'tab tab-current' : 'tab'}>
          Open
        </Link>
        <Link to="?view=closed" className={view === 'closed' ? 'tab tab-current' : 'tab'}>
          Fixed or closed
        </Link>
      </nav>
      {problems.length === 0 ? (
        <p className="empty-state">
          {view === 'open' ? 'No open known issues.' : 'Nothing fixed or closed yet.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Known issue</th>
                <th scope="col">State</th>
                <th scope="col">Tickets</th>
                <th scope="col">Threads</th>
                <th scope="col">Following</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((problem) => (
                <tr key={problem.id}>
                  <td>
                    <Link to={`/agent/problems/${problem.id}`}>{problem.title}</Link>
                    <div className="muted">
                      {problem.public ? 'Public' : 'Team only'}
                      {problem.category_name ? ` · ${problem.category_name}` : ''}
                      {problem.tracker_id ? ` · ${problem.tracker_id}` : ''}
                    </div>
                  </td>
                  <td>
                    <ProblemState state={problem.state} />
                  </td>
                  <td>{problem.tickets}</td>
                  <td>{problem.threads}</td>
                  <td>{problem.followers}</td>
                  <td>
                    <time dateTime={problem.updated_at}>{timeAgo(problem.updated_at, now)}</time>
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
