import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { GroupForm } from '~/components/group-form';
import { joinPolicyLabels } from '~/models/group-words';
import { groupSchema, listGroups, saveGroup } from '~/models/groups.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'Groups · Administration' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  return { groups: await listGroups(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const formData = await request.formData();
  const parsed = parseForm(formData, groupSchema);
  if (!parsed.success) return formFailure(parsed);
  const saved = await saveGroup(getDb(), admin.id, parsed.data);
  if (!saved.ok)
    return formFailure({
      fieldErrors: saved.fieldErrors,
      values: formValues(formData, groupSchema),
    });
  return redirect(`/admin/groups/${saved.id}?created=1`);
}

export default function AdminGroups() {
  const { groups } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>Groups</h1>
      <p className="muted">
        Groups decide who sees a private category or article: people added by hand, everyone in an
        organisation, or everyone with a verified address at a domain.
      </p>
      {groups.length === 0 ? (
        <p className="empty-state">No groups yet. Add the first one below.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Joining</th>
                <th scope="col">People by hand</th>
                <th scope="col">Organisations</th>
                <th scope="col">Domains</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => (
                <tr key={group.id}>
                  <td>
                    <Link to={`/admin/groups/${group.id}`}>{group.name}</Link>
                    {group.description ? <div className="muted">{group.description}</div> : null}
                  </td>
                  <td>{joinPolicyLabels[group.join_policy]}</td>
                  <td>{group.member_count}</td>
                  <td>{group.organization_count}</td>
                  <td>{group.domain_count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="card form-card" aria-labelledby="new-group">
        <h2 id="new-group">Add a group</h2>
        <GroupForm
          values={actionData?.values}
          errors={actionData?.fieldErrors}
          submitLabel="Add group"
        />
      </section>
    </>
  );
}
