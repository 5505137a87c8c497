import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireUser } from '~/auth/session.server';
import { requestsOf } from '~/models/ticket-lists.server';
import { formatDay } from '~/utils/dates';
import { ticketStatusLabels } from '~/models/support-labels';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Your requests' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { requests: await requestsOf(getDb(), user.id) };
}

export default function MyRequests() {
  const { requests } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <header className="page-title-row">
        <h1>Your requests</h1>
        <Link className="button" to="/requests/new">
          Contact support
        </Link>
      </header>
      {requests.length === 0 ? (
        <div className="empty-state">
          <p>You have not contacted support yet.</p>
          <p>
            Try the <Link to="/kb">knowledge base</Link> or <Link to="/questions">community</Link>{' '}
            first: most answers are already there.
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Request</th>
                <th scope="col">Status</th>
                <th scope="col">Opened</th>
                <th scope="col">Last activity</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((ticket) => (
                <tr key={ticket.id}>
                  <td>
                    <Link to={`/requests/${ticket.id}`}>{ticket.subject}</Link>
                    <div className="muted">#{ticket.id}</div>
                  </td>
                  <td>
                    <span className={`status status-ticket-${ticket.status}`}>
                      {ticketStatusLabels[ticket.status]}
                    </span>
                  </td>
                  <td>
                    <time dateTime={ticket.created_at}>{formatDay(ticket.created_at)}</time>
                  </td>
                  <td>
                    <time dateTime={ticket.updated_at}>{formatDay(ticket.updated_at)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
