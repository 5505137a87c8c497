import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { ProblemState } from '~/components/problem-state';
import { groupingSuggestions } from '~/models/problems/grouping.server';
import { linkToProblem, listProblems, saveProblem } from '~/models/problems/problems.server';
import { timeAgo } from '~/utils/dates';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Known issues · Team' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'agent', 'moderator');
  const view = new URL(request.url).searchParams.get('view') === 'closed' ? 'closed' : 'open';
  const [problems, groups] = await Promise.all([
    listProblems(getDb(), { state: view === 'closed' ? 'finished' : 'open' }),
    view === 'open' ? groupingSuggestions(getDb()) : [],
  ]);
  return { problems, groups, view, now: Date.now() };
}

/** "Start a known issue from these": a new issue, named after the first, with them all linked. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, 'agent', 'moderator');
  const db = getDb();
  const formData = await request.formData();
  const targets = formData
    .getAll('item')
    .map((key) => /^(ticket|thread)-(\d{1,12})$/.exec(String(key)))
    .filter((match) => match !== null)
    .map((match) => ({ type: match[1] as 'ticket' | 'thread', id: Number(match[2]) }));
  if (targets.length === 0) throw new Response('Choose what to group', { status: 400 });
  const saved = await saveProblem(db, user, null, {
    title: String(formData.get('title') ?? ''),
    state: 'investigating',
  });
  if (!saved.ok) throw new Response('The first title does not make a known issue', { status: 400 });
  for (const target of targets) await linkToProblem(db, user, saved.id, target);
  return redirect(`/agent/problems/${saved.id}`);
}

export default function KnownIssues() {
  const { problems, groups, view, now } = useLoaderData<typeof loader>();
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
      {groups.length > 0 ? (
        <section className="card" aria-labelledby="groups-title">
          <h2 id="groups-title">These may be one problem</h2>
          <p className="muted">
            Tickets and questions of the last two weeks, not yet part of a known issue, that share
            an error code or their words and reach three people or two organisations.
          </p>
          <ul className="plain-list problem-groups">
            {groups.map((group) => (
              <li key={group.items.map((item) => item.key).join()}>
                <p>
                  <strong>{group.reason}</strong>{' '}
                  <span className="muted">
                    · {group.people} people, {group.organizations}{' '}
                    {group.organizations === 1 ? 'organisation' : 'organisations'}
                  </span>
                </p>
                <ul>
                  {group.items.map((item) => (
                    <li key={item.key}>
                      <span className="suggestion-kind">
                        {item.type === 'ticket' ? 'Ticket' : 'Question'}
                      </span>
                      <Link to={item.url}>{item.title}</Link>{' '}
                      <span className="muted">· {item.who}</span>
                    </li>
                  ))}
                </ul>
                <Form method="post">
                  {group.items.map((item) => (
                    <input key={item.key} type="hidden" name="item" value={item.key} />
                  ))}
                  <input type="hidden" name="title" value={group.items[0]?.title ?? ''} />
                  <button type="submit" className="button button-small button-secondary">
                    Start a known issue from these
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
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
