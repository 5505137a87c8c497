import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { Notice } from '~/components/forms';
import { OrganizationForm } from '~/components/organization-form';
import { GeneralErrorBoundary } from '~/components/error-page';
import {
  deleteOrganization,
  getOrganization,
  organizationSchema,
  saveOrganization,
} from '~/models/organizations.server';
import { logModeration } from '~/models/audit-log.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';
import { requireIdParam } from '~/utils/params';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.organization.name} · Organizations` : 'Organization' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const organization = await getOrganization(getDb(), requireIdParam(params.id));
  if (!organization) throw new Response('Not found', { status: 404 });
  return { organization };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const id = requireIdParam(params.id);
  const db = getDb();
  if (!(await getOrganization(db, id))) throw new Response('Not found', { status: 404 });
  const formData = await request.formData();
  if (formData.get('intent') === 'delete') {
    await deleteOrganization(db, id);
    await logModeration(db, {
      actorId: admin.id,
      action: 'organization_delete',
      targetType: 'organization',
      targetId: id,
    });
    return redirect('/admin/organizations');
  }
  const parsed = parseForm(formData, organizationSchema);
  if (!parsed.success) return formFailure(parsed);
  const saved = await saveOrganization(db, parsed.data, id);
  if (!saved.ok)
    return formFailure({ fieldErrors: saved.fieldErrors, values: formValues(formData) });
  await logModeration(db, {
    actorId: admin.id,
    action: 'organization_save',
    targetType: 'organization',
    targetId: id,
    data: { name: parsed.data.name },
  });
  return redirect(`/admin/organizations/${id}?saved=1`);
}

export default function EditOrganization() {
  const { organization } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const values = actionData?.values ?? {
    name: organization.name,
    domains: organization.domains.join(', '),
  };
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/admin/organizations">Organizations</Link> / {organization.name}
      </p>
      <h1>{organization.name}</h1>
      <Notice>
        {searchParams.has('created')
          ? 'Organization added.'
          : searchParams.has('saved')
            ? 'Changes saved.'
            : null}
      </Notice>
      <section className="card form-card">
        <OrganizationForm
          values={values}
          errors={actionData?.fieldErrors}
          submitLabel="Save changes"
        />
      </section>
      <section className="card form-card danger-zone" aria-labelledby="delete-organization">
        <h2 id="delete-organization">Delete this organization</h2>
        <p className="muted">
          Its people keep their accounts; they are no longer grouped under {organization.name}.
        </p>
        <Form method="post">
          <button type="submit" name="intent" value="delete" className="button button-danger">
            Delete organization
          </button>
        </Form>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{ 404: ({ params }) => <p>No organization #{params.id}.</p> }}
    />
  );
}
