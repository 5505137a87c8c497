import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { Field, FormError, Notice, SelectField } from '~/components/forms';
import { GroupForm } from '~/components/group-form';
import {
  addGroupDomain,
  addGroupMember,
  addGroupOrganization,
  deleteGroup,
  getGroup,
  groupDomainSchema,
  groupPersonSchema,
  groupSchema,
  removeGroupDomain,
  removeGroupMember,
  removeGroupOrganization,
  saveGroup,
  setGroupManager,
} from '~/models/groups.server';
import { pendingJoinRequests } from '~/models/group-join-requests.server';
import { listOrganizations } from '~/models/organizations.server';
import { getDb } from '~/utils/db.server';
import { formError, formReply, formValues, parseForm } from '~/utils/forms.server';
import { requireIdParam } from '~/utils/params';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.group.name} · Groups` : 'Group' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const db = getDb();
  const id = requireIdParam(params.id);
  const group = await getGroup(db, id);
  if (!group) throw new Response('Not found', { status: 404 });
  const [organizations, requests] = await Promise.all([
    listOrganizations(db),
    pendingJoinRequests(db, id),
  ]);
  return {
    group,
    pendingCount: requests.length,
    organizations: organizations
      .filter((organization) => !group.organizations.some((o) => o.id === organization.id))
      .map((organization) => ({ id: organization.id, name: organization.name })),
  };
}

const idField = z
  .string('Choose from the list.')
  .regex(/^\d{1,9}$/, 'Choose from the list.')
  .transform(Number);

const memberSchema = z.object({ userId: idField });
const managerSchema = z.object({ userId: idField, manager: z.enum(['0', '1']) });
const organizationSchema = z.object({ organizationId: idField });
const removeDomainSchema = z.object({ domain: z.string().max(253) });

const notices: Record<string, string> = {
  created: 'Group added. Now add its people.',
  saved: 'Changes saved.',
  member: 'Person added.',
  removed: 'Removed.',
  manager: 'Manager changed.',
  organization: 'Organisation added: everyone in it belongs.',
  domain: 'Domain added: everyone with a verified address there belongs.',
};

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const id = requireIdParam(params.id);
  const db = getDb();
  if (!(await getGroup(db, id))) throw new Response('Not found', { status: 404 });
  const formData = await request.formData();
  const intent = String(formData.get('intent') ?? 'save');
  const here = `/admin/groups/${id}`;
  const failed = (fieldErrors: Record<string, string>, schema?: z.ZodType) =>
    formReply(400, { form: intent, fieldErrors, values: formValues(formData, schema) });

  switch (intent) {
    case 'save': {
      const parsed = parseForm(formData, groupSchema);
      if (!parsed.success) return failed(parsed.fieldErrors, groupSchema);
      const saved = await saveGroup(db, admin.id, parsed.data, id);
      if (!saved.ok) return failed(saved.fieldErrors, groupSchema);
      return redirect(`${here}?done=saved`);
    }
    case 'delete':
      await deleteGroup(db, admin.id, id);
      return redirect('/admin/groups');
    case 'add-member': {
      const parsed = parseForm(formData, groupPersonSchema);
      if (!parsed.success) return failed(parsed.fieldErrors, groupPersonSchema);
      const added = await addGroupMember(db, admin.id, id, {
        person: parsed.data.person,
        manager: parsed.data.manager === 'on',
      });
      if (!added.ok) return failed(added.fieldErrors, groupPersonSchema);
      return redirect(`${here}?done=member`);
    }
    case 'remove-member': {
      const parsed = parseForm(formData, memberSchema);
      if (!parsed.success) return formError(400, 'Choose someone from the list.', intent);
      await removeGroupMember(db, admin.id, id, parsed.data.userId);
      return redirect(`${here}?done=removed`);
    }
    case 'set-manager': {
      const parsed = parseForm(formData, managerSchema);
      if (!parsed.success) return formError(400, 'Choose someone from the list.', intent);
      await setGroupManager(db, admin.id, id, parsed.data.userId, parsed.data.manager === '1');
      return redirect(`${here}?done=manager`);
    }
    case 'add-organization': {
      const parsed = parseForm(formData, organizationSchema);
      if (!parsed.success) return failed(parsed.fieldErrors);
      if (!(await addGroupOrganization(db, admin.id, id, parsed.data.organizationId)))
        return failed({ organizationId: 'Choose an organisation from the list.' });
      return redirect(`${here}?done=organization`);
    }
    case 'remove-organization': {
      const parsed = parseForm(formData, organizationSchema);
      if (!parsed.success) return formError(400, 'Choose an organisation from the list.', intent);
      await removeGroupOrganization(db, admin.id, id, parsed.data.organizationId);
      return redirect(`${here}?done=removed`);
    }
    case 'add-domain': {
      const parsed = parseForm(formData, groupDomainSchema);
      if (!parsed.success) return failed(parsed.fieldErrors, groupDomainSchema);
      await addGroupDomain(db, admin.id, id, parsed.data.domain);
      return redirect(`${here}?done=domain`);
    }
    case 'remove-domain': {
      const parsed = parseForm(formData, removeDomainSchema);
      if (!parsed.success) return formError(400, 'Choose a domain from the list.', intent);
      await removeGroupDomain(db, admin.id, id, parsed.data.domain);
      return redirect(`${here}?done=removed`);
    }
    default:
      return formError(400, 'Choose what to do.');
  }
}

export default function EditGroup() {
  const { group, organizations, pendingCount } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const replied = (form: string) => (actionData?.form === form ? actionData : undefined);
  const save = replied('save');
  const member = replied('add-member');
  const organization = replied('add-organization');
  const domain = replied('add-domain');
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/admin/groups">Groups</Link> / {group.name}
      </p>
      <h1>{group.name}</h1>
      <Notice>
        {notices[searchParams.get('done') ?? ''] ??
          (searchParams.has('created') ? notices.created : null)}
      </Notice>
      <FormError>{actionData?.formError}</FormError>
      {group.join_policy === 'request' ? (
        <p>
          <Link to={`/groups/${group.id}`}>
            {pendingCount === 0
              ? 'No requests to join are waiting'
              : `${pendingCount} ${pendingCount === 1 ? 'request' : 'requests'} to join waiting`}
          </Link>
        </p>
      ) : null}

      <section className="card form-card">
        <GroupForm
          values={
            save?.values ?? {
              name: group.name,
              description: group.description,
              joinPolicy: group.join_policy,
            }
          }
          errors={save?.fieldErrors}
          submitLabel="Save changes"
        />
      </section>

      <section className="card form-card" aria-labelledby="members-title">
        <h2 id="members-title">People added by hand</h2>
        <p className="muted">
          Managers answer requests to join and moderate the group’s categories.
        </p>
        {group.members.length === 0 ? (
          <p className="empty-state">Nobody yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Role</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {group.members.map((person) => (
                  <tr key={person.id}>
                    <td>
                      <Link to={`/mod/users/${person.id}`}>{person.display_name}</Link>{' '}
                      <span className="muted">@{person.username}</span>
                    </td>
                    <td>{person.manager ? 'Manager' : 'Member'}</td>
                    <td>
                      <div className="row-actions">
                        <Form method="post">
                          <input type="hidden" name="intent" value="set-manager" />
                          <input type="hidden" name="userId" value={person.id} />
                          <input type="hidden" name="manager" value={person.manager ? '0' : '1'} />
                          <button type="submit" className="button button-secondary button-small">
                            {person.manager ? 'Make member' : 'Make manager'}
                          </button>
                        </Form>
                        <Form method="post">
                          <input type="hidden" name="intent" value="remove-member" />
                          <input type="hidden" name="userId" value={person.id} />
                          <button
                            type="submit"
                            className="button button-danger button-small"
                            aria-label={`Remove ${person.display_name}`}
                          >
                            Remove
                          </button>
                        </Form>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="add-member" />
          <Field
            label="Add a person"
            name="person"
            defaultValue={member?.values.person}
            error={member?.fieldErrors.person}
            hint="Their username or email address."
            maxLength={254}
            autoComplete="off"
          />
          <label className="choice">
            <input
              type="checkbox"
              name="manager"
              defaultChecked={member?.values.manager === 'on'}
            />
            Manager
          </label>
          <div>
            <button type="submit" className="button">
              Add person
            </button>
          </div>
        </Form>
      </section>

      <section className="card form-card" aria-labelledby="organizations-title">
        <h2 id="organizations-title">Organisations</h2>
        <p className="muted">Everyone in these organisations belongs, as they join and leave.</p>
        <ListWithRemove
          items={group.organizations.map((o) => ({ key: String(o.id), label: o.name }))}
          intent="remove-organization"
          field="organizationId"
          empty="No organisations."
        />
        {organizations.length > 0 ? (
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="add-organization" />
            <SelectField
              label="Add an organisation"
              name="organizationId"
              defaultValue=""
              error={organization?.fieldErrors.organizationId}
            >
              <option value="" disabled>
                Choose…
              </option>
              {organizations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </SelectField>
            <div>
              <button type="submit" className="button">
                Add organisation
              </button>
            </div>
          </Form>
        ) : null}
      </section>

      <section className="card form-card" aria-labelledby="domains-title">
        <h2 id="domains-title">Email domains</h2>
        <p className="muted">
          Everyone with a verified address at these domains belongs. Unverified addresses do not
          count.
        </p>
        <ListWithRemove
          items={group.domains.map((d) => ({ key: d, label: d }))}
          intent="remove-domain"
          field="domain"
          empty="No domains."
        />
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="add-domain" />
          <Field
            label="Add a domain"
            name="domain"
            defaultValue={domain?.values.domain}
            error={domain?.fieldErrors.domain}
            placeholder="example.com"
            maxLength={253}
            autoComplete="off"
          />
          <div>
            <button type="submit" className="button">
              Add domain
            </button>
          </div>
        </Form>
      </section>

      <section className="card form-card danger-zone" aria-labelledby="delete-group">
        <h2 id="delete-group">Delete this group</h2>
        <p className="muted">
          Its people keep their accounts. Categories and articles listed only for this group are
          then seen by staff only.
        </p>
        <Form method="post">
          <button type="submit" name="intent" value="delete" className="button button-danger">
            Delete group
          </button>
        </Form>
      </section>
    </>
  );
}

function ListWithRemove({
  items,
  intent,
  field,
  empty,
}: {
  items: { key: string; label: string }[];
  intent: string;
  field: string;
  empty: string;
}) {
  if (items.length === 0) return <p className="empty-state">{empty}</p>;
  return (
    <ul className="link-list">
      {items.map((item) => (
        <li key={item.key} className="row-actions">
          <span>{item.label}</span>
          <Form method="post">
            <input type="hidden" name="intent" value={intent} />
            <input type="hidden" name={field} value={item.key} />
            <button
              type="submit"
              className="button button-danger button-small"
              aria-label={`Remove ${item.label}`}
            >
              Remove
            </button>
          </Form>
        </li>
      ))}
    </ul>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary statusHandlers={{ 404: ({ params }) => <p>No group #{params.id}.</p> }} />
  );
}
