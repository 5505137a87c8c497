import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useSearchParams, useSubmit } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { staffMembers } from '~/models/articles.server';
import { listCategories } from '~/models/categories.server';
import { listOrganizations } from '~/models/organizations.server';
import { listTickets } from '~/models/ticket-lists.server';
import { fieldParam, optionsOf } from '~/models/ticket-fields/field-values';
import { deskFilters, filterableFields } from '~/models/ticket-fields/desk.server';
import { ticketFieldsOf } from '~/models/ticket-fields/ticket-fields.server';
import { timeAgo } from '~/utils/dates';
import { SlaClocks } from '~/components/sla-clocks';
import { slaClocks } from '~/models/sla/clocks';
import { priorityLabels } from '~/models/sla/labels';
import { ticketViews } from '~/models/support-labels';
import { getDb } from '~/utils/db.server';
import { RequesterCell, TicketStatusCell } from '~/components/ticket-cells';

export const meta: MetaFunction = () => [{ title: 'Tickets · Team' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, 'agent', 'moderator');
  const db = getDb();
  const fields = await ticketFieldsOf(db);
  const filters = deskFilters(new URL(request.url).searchParams, user.id, fields);
  const [list, categories, organizations, staff] = await Promise.all([
    listTickets(db, filters),
    listCategories(db),
    listOrganizations(db),
    staffMembers(db),
  ]);
  return {
    ...list,
    view: filters.view,
    categories,
    organizations,
    staff,
    fieldFilters: filterableFields(fields).map((field) => ({
      key: field.key,
      label: field.label,
      choices: field.type === 'checkbox' ? ['yes', 'no'] : optionsOf(field),
    })),
    now: Date.now(),
  };
}

export default function TicketDesk() {
  const {
    tickets,
    counts,
    view,
    page,
    hasMore,
    categories,
    organizations,
    staff,
    fieldFilters,
    now,
  } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const submit = useSubmit();
  const withParams = (changes: Record<string, string>) => {
    const params = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) params.set(key, value);
    if (!('page' in changes)) params.delete('page');
    return `?${params}`;
  };
  return (
    <>
      <header className="page-title-row">
        <h1>Tickets</h1>
        <a
          className="button button-secondary button-small"
          href={`/agent/tickets/export?${searchParams}`}
          download
        >
          Export CSV
        </a>
      </header>
      <div className="list-controls">
        <nav className="tabs" aria-label="Ticket views">
          {ticketViews.map((option) => (
            <Link
              key={option.key}
              to={withParams({ view: option.key })}
              className={view === option.key ? 'tab tab-current' : 'tab'}
              aria-current={view === option.key ? 'page' : undefined}
            >
              {option.label} <span className="tab-count">{counts[option.key]}</span>
            </Link>
          ))}
        </nav>
        <Form
          method="get"
          className="filters"
          aria-label="Filter tickets"
          onChange={(event) => submit(event.currentTarget)}
        >
          <input type="hidden" name="view" value={view} />
          <label className="visually-hidden" htmlFor="filter-category">
            Category
          </label>
          <select
            id="filter-category"
            name="category"
            defaultValue={searchParams.get('category') ?? ''}
          >
            <option value="">All categories</option>
            {categories.map((category) => (
              <option key={category.id} value={category.id}>
                {category.name}
              </option>
            ))}
          </select>
          <label className="visually-hidden" htmlFor="filter-org">
            Organisation
          </label>
          <select id="filter-org" name="org" defaultValue={searchParams.get('org') ?? ''}>
            <option value="">All organisations</option>
            {organizations.map((organization) => (
              <option key={organization.id} value={organization.id}>
                {organization.name}
              </option>
            ))}
          </select>
          <label className="visually-hidden" htmlFor="filter-assignee">
            Assignee
          </label>
          <select
            id="filter-assignee"
            name="assignee"
            defaultValue={searchParams.get('assignee') ?? ''}
          >
            <option value="">Anyone</option>
            <option value="none">Unassigned</option>
            {staff.map((member) => (
              <option key={member.id} value={member.id}>
                {member.display_name}
              </option>
            ))}
          </select>
          {fieldFilters.map((field) => (
            <span key={field.key}>
              <label className="visually-hidden" htmlFor={`filter-${field.key}`}>
                {field.label}
              </label>
              <select
                id={`filter-${field.key}`}
                name={fieldParam(field.key)}
                defaultValue={searchParams.get(fieldParam(field.key)) ?? ''}
              >
                <option value="">{field.label}: any</option>
                {field.choices.map((choice) => (
                  <option key={choice} value={choice}>
                    {field.label}: {choice}
                  </option>
                ))}
              </select>
            </span>
          ))}
          <label className="visually-hidden" htmlFor="filter-sort">
            Order
          </label>
          <select id="filter-sort" name="sort" defaultValue={searchParams.get('sort') ?? 'updated'}>
            <option value="updated">Least recently updated first</option>
            <option value="due">Next SLA target first</option>
          </select>
          <noscript>
            <button type="submit" className="button button-small">
              Filter
            </button>
          </noscript>
        </Form>
      </div>
      {tickets.length === 0 ? (
        <p className="empty-state">No tickets in this view.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Ticket</th>
                <th scope="col">Requester</th>
                <th scope="col">Status</th>
                <th scope="col">Assignee</th>
                <th scope="col">Service level</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {tickets.map((ticket) => (
                <tr key={ticket.id}>
                  <td>
                    <Link to={`/agent/tickets/${ticket.id}`}>{ticket.subject}</Link>
                    <div className="muted">
                      #{ticket.id} ·{' '}
                      {ticket.source === 'escalation' ? 'escalated thread' : `via ${ticket.source}`}
                    </div>
                  </td>
                  <RequesterCell ticket={ticket} />
                  <TicketStatusCell status={ticket.status} />
                  <td>{ticket.assignee_name ?? <span className="muted">Unassigned</span>}</td>
                  <td>
                    <span className="muted">{priorityLabels[ticket.priority]}</span>
                    <SlaClocks clocks={slaClocks(ticket, new Date(now))} compact />
                  </td>
                  <td>
                    <time dateTime={ticket.updated_at}>{timeAgo(ticket.updated_at, now)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page > 1 || hasMore ? (
        <nav className="pager" aria-label="Pages">
          {page > 1 ? <Link to={withParams({ page: String(page - 1) })}>← Previous</Link> : null}
          {hasMore ? <Link to={withParams({ page: String(page + 1) })}>Next →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
