import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { fieldTypeLabels, optionsOf } from '~/models/ticket-fields/field-values';
import { ticketFieldsOf } from '~/models/ticket-fields/ticket-fields.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Ticket fields · Administration' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  return { fields: await ticketFieldsOf(getDb()) };
}

export default function TicketFields() {
  const { fields } = useLoaderData<typeof loader>();
  return (
    <>
      <header className="page-title-row">
        <h1>Ticket fields</h1>
        <Link className="button" to="/admin/ticket-fields/new">
          New field
        </Link>
      </header>
      <p className="muted">
        What your team records on every ticket beyond its subject: a plan, an order number, an app
        version. Customers fill in the fields they see on the contact form; agents fill in the rest
        on the ticket. Fields filter the desk and come with tickets in the API, the CSV export and
        webhooks.
      </p>
      {fields.length === 0 ? (
        <p className="empty-state">
          No fields yet. <Link to="/admin/ticket-fields/new">Add the first one</Link>.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Type</th>
                <th scope="col">Customers</th>
                <th scope="col">Before solving</th>
              </tr>
            </thead>
            <tbody>
              {fields.map((field) => (
                <tr key={field.id}>
                  <td>
                    <Link to={`/admin/ticket-fields/${field.id}`}>{field.label}</Link>
                    <div className="muted">
                      <code>{field.key}</code>
                    </div>
                  </td>
                  <td>
                    {fieldTypeLabels[field.type]}
                    {field.type === 'dropdown' ? (
                      <div className="muted">{optionsOf(field).join(' · ')}</div>
                    ) : null}
                  </td>
                  <td>
                    {field.required_for_customer ? (
                      'Asked, required'
                    ) : field.customer_visible ? (
                      'Asked, optional'
                    ) : (
                      <span className="muted">Team only</span>
                    )}
                  </td>
                  <td>
                    {field.required_to_solve ? 'Required' : <span className="muted">Optional</span>}
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
