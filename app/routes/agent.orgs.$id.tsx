import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { organizationOverview } from '~/models/customers.server';

import { formatDay } from '~/utils/dates';
import { agentStatusLabels, resolutionKindLabels } from '~/models/support-labels';
import { getDb } from '~/utils/db.server';
import { requireIdParam } from '~/utils/params';
import { questionPath } from '#lib/content-urls';
import { ProblemState } from '~/components/problem-state';
import { knownIssuesOfOrganization } from '~/models/problems/problem-page.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.organization.name} · Organisations` : 'Organisation not found' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requireIdParam(params.id);
  await requireRole(request, 'agent', 'moderator');
  const overview = await organizationOverview(getDb(), id);
  if (!overview) throw new Response('Not found', { status: 404 });
  return { ...overview, knownIssues: await knownIssuesOfOrganization(getDb(), id) };
}

const monthName = (month: string) =>
  new Date(`${month}-01T00:00:00Z`).toLocaleString('en', { month: 'short', timeZone: 'UTC' });

export default function OrganizationPage() {
  const { organization, domains, people, tickets, threads, problems, knownIssues } =
    useLoaderData<typeof loader>();
  const open = tickets.filter((ticket) => ticket.status !== 'solved' && ticket.status !== 'closed');
  const peak = Math.max(1, ...problems.tags.flatMap((row) => row.counts));
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/agent/tickets">Tickets</Link>
      </nav>
      <header className="page-title-row">
        <div>
          <h1>{organization.name}</h1>
          <p className="muted">
            {people.length} {people.length === 1 ? 'person' : 'people'} · {tickets.length}{' '}
            {tickets.length === 1 ? 'ticket' : 'tickets'} ({open.length} open) · {threads.length}{' '}
            community {threads.length === 1 ? 'question' : 'questions'}
            {domains.length ? ` · ${domains.join(', ')}` : ''}
          </p>
        </div>
        <Link
          className="button button-secondary"
          to={`/agent/tickets?view=open&org=${organization.id}`}
        >
          Open tickets
        </Link>
      </header>

      {knownIssues.length > 0 ? (
        <section className="card" aria-labelledby="known-issues-title">
          <h2 id="known-issues-title">Known issues that affect them</h2>
          <ul className="plain-list">
            {knownIssues.map((issue) => (
              <li key={issue.id}>
                <Link to={`/agent/problems/${issue.id}`}>{issue.title}</Link>{' '}
                <ProblemState state={issue.state} />
                <div className="muted">
                  {issue.people.length} {issue.people.length === 1 ? 'person' : 'people'}:{' '}
                  {issue.people.join(', ')}
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card" aria-labelledby="problems-title">
        <h2 id="problems-title">Top problems, last six months</h2>
        {problems.tags.length === 0 ? (
          <p className="muted">
            No tagged problems yet: tags come from this organisation’s questions and from the
            content linked to its tickets.
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table heat-table">
              <caption className="visually-hidden">Tickets and questions per tag and month</caption>
              <thead>
                <tr>
                  <th scope="col">Tag</th>
                  {problems.months.map((month) => (
                    <th scope="col" key={month}>
                      {monthName(month)}
                    </th>
                  ))}
                  <th scope="col">Total</th>
                </tr>
              </thead>
              <tbody>
                {problems.tags.map((row) => (
                  <tr key={row.tag}>
                    <th scope="row">
                      <Link to={`/tags/${encodeURIComponent(row.tag)}`}>{row.tag}</Link>
                    </th>
                    {row.counts.map((count, index) => (
                      <td
                        key={problems.months[index]}
                        className="heat"
                        style={{ '--heat': String(count / peak) } as React.CSSProperties}
                      >
                        {count || ''}
                      </td>
                    ))}
                    <td>
                      <strong>{row.total}</strong>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <div className="two-columns">
        <section aria-labelledby="org-tickets-title">
          <h2 id="org-tickets-title">Tickets</h2>
          {tickets.length === 0 ? (
            <p className="muted">No tickets.</p>
          ) : (
            <ul className="item-list">
              {tickets.map((ticket) => (
                <li key={ticket.id}>
                  <Link to={`/agent/tickets/${ticket.id}`}>{ticket.subject}</Link>
                  <div className="muted">
                    #{ticket.id} · {ticket.requester_name} · {formatDay(ticket.created_at)} ·{' '}
                    {agentStatusLabels[ticket.status]}
                    {ticket.resolution ? ` · ${resolutionKindLabels[ticket.resolution]}` : ''}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="org-threads-title">
          <h2 id="org-threads-title">Community questions</h2>
          {threads.length === 0 ? (
            <p className="muted">No questions.</p>
          ) : (
            <ul className="item-list">
              {threads.map((thread) => (
                <li key={thread.id}>
                  <Link to={questionPath(thread)}>{thread.title}</Link>
                  <div className="muted">
                    {thread.author_name} · {formatDay(thread.created_at)} · {thread.answer_count}{' '}
                    {thread.answer_count === 1 ? 'answer' : 'answers'}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <section aria-labelledby="people-title">
        <h2 id="people-title">People</h2>
        {people.length === 0 ? (
          <p className="muted">Nobody has joined from this organisation yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Tickets</th>
                  <th scope="col">Questions</th>
                  <th scope="col">Joined</th>
                </tr>
              </thead>
              <tbody>
                {people.map((person) => (
                  <tr key={person.id}>
                    <td>
                      <Link to={`/users/${encodeURIComponent(person.username)}`}>
                        {person.display_name}
                      </Link>
                    </td>
                    <td>{person.email}</td>
                    <td>{person.tickets ?? 0}</td>
                    <td>{person.threads ?? 0}</td>
                    <td>{formatDay(person.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        404: ({ params }) => <p>No organization #{params.id}. It may have been removed.</p>,
      }}
    />
  );
}
