import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/auth/session.server';
import { logActionLabels, logEntryDetail } from '~/models/moderation-labels';
import { listModerationLog } from '~/models/audit-log.server';
import { formatDate } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { questionPath } from '#lib/content-urls';

export const meta: MetaFunction = () => [{ title: 'Audit log · Moderation' }];

const filtersSchema = z.object({
  action: z.string().trim().max(50).optional().catch(undefined),
  actor: z.string().trim().max(60).optional().catch(undefined),
  user: z.string().trim().max(60).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'moderator');
  const filters = filtersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return listModerationLog(getDb(), {
    action: filters.action || undefined,
    actor: filters.actor || undefined,
    user: filters.user || undefined,
    page: filters.page,
  });
}

function targetLink(entry: { target_type: string | null; target_id: number | null }) {
  if (!entry.target_type || entry.target_id === null) return null;
  switch (entry.target_type) {
    case 'thread':
      return { to: questionPath({ id: entry.target_id }), label: `question #${entry.target_id}` };
    case 'post':
      return { to: `/answers/${entry.target_id}/edit`, label: `answer #${entry.target_id}` };
    case 'comment':
      return null;
    case 'user':
      return { to: `/mod/users/${entry.target_id}`, label: null };
    default:
      return null;
  }
}

export default function AuditLog() {
  const { entries, hasMore, page, actions } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const pageLink = (to: number) => {
    const params = new URLSearchParams(searchParams);
    params.set('page', String(to));
    return `?${params}`;
  };
  return (
    <>
      <h1>Audit log</h1>
      <p className="muted">
        Every moderation and admin action, newest first. Entries cannot be changed or deleted.
      </p>
      <Form method="get" className="filters log-filters" aria-label="Filter the log">
        <label>
          Action{' '}
          <select name="action" defaultValue={searchParams.get('action') ?? ''}>
            <option value="">Any</option>
            {actions.map((action) => (
              <option key={action} value={action}>
                {logActionLabels[action] ?? action}
              </option>
            ))}
          </select>
        </label>
        <label>
          By{' '}
          <input
            name="actor"
            defaultValue={searchParams.get('actor') ?? ''}
            placeholder="username"
          />
        </label>
        <label>
          About{' '}
          <input name="user" defaultValue={searchParams.get('user') ?? ''} placeholder="username" />
        </label>
        <button type="submit" className="button button-small button-secondary">
          Filter
        </button>
      </Form>
      {entries.length === 0 ? (
        <p className="empty-state">
          {searchParams.get('action') || searchParams.get('actor') || searchParams.get('user')
            ? 'Nothing matches these filters.'
            : 'Nothing has been logged yet.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => {
                const target = targetLink(entry);
                const detail = logEntryDetail(entry.data);
                return (
                  <tr key={entry.id}>
                    <td>
                      <time dateTime={entry.created_at}>{formatDate(entry.created_at)}</time>
                    </td>
                    <td>{entry.actor_name ?? <span className="muted">automatic</span>}</td>
                    <td>
                      {logActionLabels[entry.action] ?? entry.action}{' '}
                      {entry.target_name ? <strong>{entry.target_name}</strong> : null}
                      {detail ? <span className="muted"> {detail}</span> : null}
                      {target?.label ? (
                        <>
                          {entry.target_name ? ' · ' : ''}
                          <Link to={target.to}>{target.label}</Link>
                        </>
                      ) : null}
                      {entry.target_type && !target ? (
                        <span className="muted">
                          {' '}
                          ({entry.target_type}
                          {entry.target_id ? ` #${entry.target_id}` : ''})
                        </span>
                      ) : null}
                    </td>
                    <td>{entry.reason ?? <span className="muted">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {page > 1 || hasMore ? (
        <nav className="pager" aria-label="Pages">
          {page > 1 ? <Link to={pageLink(page - 1)}>← Newer</Link> : <span />}
          {hasMore ? <Link to={pageLink(page + 1)}>Older →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
