import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { OrganizationForm } from '~/components/organization-form';
import {
  listOrganizations,
  organizationSchema,
  saveOrganization,
} from '~/models/organizations.server';
import { logModeration } from '~/models/audit-log.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  return { organizations: await listOrganizations(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const formData = await request.formData();
  const parsed = parseForm(formData, organizationSchema);
  if (!parsed.success) return formFailure(parsed);
  const saved = await saveOrganization(getDb(), parsed.data);
  if (!saved.ok)
    return formFailure({ fieldErrors: saved.fieldErrors, values: formValues(formData) });
  await logModeration(getDb(), {
    actorId: admin.id,
    action: 'organization_save',
    targetType: 'organization',
    targetId: saved.id,
    data: { name: parsed.data.name },
  });
  return redirect(`/admin/organizations/${saved.id}?created=1`);
}

export default function AdminOrganizations() {
  const { organizations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>Organizations</h1>
      <p className="muted">
        Group the people of one customer company, so agents see everyone affected by the same
        problem.
      </p>
      {organizations.length === 0 ? (
        <p className="empty-state">No organizations yet. Add your first customer below.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email domains</th>
                <th scope="col">People</th>
              </tr>
            </thead>
            <tbody>
              {organizations.map((organization) => (
                <tr key={organization.id}>
                  <td>
                    <Link to={`/admin/organizations/${organization.id}`}>{organization.name}</Link>
                  </td>
                  <td className="break">
                    {organization.domains.join(', ') || <span className="muted">—</span>}
                  </td>
                  <td>{organization.member_count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="card form-card" aria-labelledby="new-organization">
        <h2 id="new-organization">Add an organization</h2>
        <OrganizationForm
          values={actionData?.values}
          errors={actionData?.fieldErrors}
          submitLabel="Add organization"
        />
      </section>
    </>
  );
}
