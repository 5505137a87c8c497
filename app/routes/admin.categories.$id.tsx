import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { CategoryForm } from '~/components/category-form';
import { Notice } from '~/components/forms';
import { VisibilityFields } from '~/components/visibility-fields';
import { GeneralErrorBoundary } from '~/components/error-page';
import {
  categorySchema,
  deleteCategory,
  getCategory,
  saveCategory,
} from '~/models/categories.server';
import {
  audienceOptions,
  currentAudience,
  parseVisibilityForm,
  saveVisibility,
} from '~/models/audiences.server';
import { logModeration } from '~/models/audit-log.server';
import { visibilityValues } from '~/models/visibility-form';
import { getDb } from '~/utils/db.server';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';
import { requireIdParam } from '~/utils/params';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.category.name} · Categories` : 'Category' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const db = getDb();
  const id = requireIdParam(params.id);
  const [category, audience, options] = await Promise.all([
    getCategory(db, id),
    currentAudience(db, { type: 'category', id }),
    audienceOptions(db),
  ]);
  if (!category || !audience) throw new Response('Not found', { status: 404 });
  return { category, audience, ...options };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const id = requireIdParam(params.id);
  const db = getDb();
  if (!(await getCategory(db, id))) throw new Response('Not found', { status: 404 });
  const formData = await request.formData();
  if (formData.get('intent') === 'delete') {
    await deleteCategory(db, id);
    await logModeration(db, {
      actorId: admin.id,
      action: 'category_delete',
      targetType: 'category',
      targetId: id,
    });
    return redirect('/admin/categories');
  }
  const values = { ...formValues(formData), ...visibilityValues(formData) };
  const parsed = parseForm(formData, categorySchema);
  const visibility = await parseVisibilityForm(db, formData);
  if (!parsed.success || !visibility.success)
    return formFailure({
      fieldErrors: {
        ...(parsed.success ? {} : parsed.fieldErrors),
        ...(visibility.success ? {} : visibility.fieldErrors),
      },
      values,
    });
  const saved = await saveCategory(db, parsed.data, id);
  if (!saved.ok) return formFailure({ fieldErrors: saved.fieldErrors, values });
  await saveVisibility(db, admin.id, { type: 'category', id }, visibility.data);
  await logModeration(db, {
    actorId: admin.id,
    action: 'category_save',
    targetType: 'category',
    targetId: id,
    data: { name: parsed.data.name },
  });
  return redirect(`/admin/categories/${id}?saved=1`);
}

export default function EditCategory() {
  const { category, audience, groups, organizations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const values = actionData?.values ?? {
    ...category,
    position: String(category.position),
    visibility: audience.visibility,
    groupIds: audience.groupIds.join(' '),
    organizationIds: audience.organizationIds.join(' '),
  };
  const errors = actionData?.fieldErrors;
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/admin/categories">Categories</Link> / {category.name}
      </p>
      <h1>{category.name}</h1>
      <Notice>{searchParams.has('saved') ? 'Changes saved.' : null}</Notice>
      <section className="card form-card">
        <CategoryForm values={values} errors={errors} submitLabel="Save changes">
          <VisibilityFields
            subject="category"
            values={values}
            error={errors?.visibility ?? errors?.groupIds ?? errors?.organizationIds}
            groups={groups}
            organizations={organizations}
          />
        </CategoryForm>
      </section>
      <section className="card form-card danger-zone" aria-labelledby="delete-category">
        <h2 id="delete-category">Delete this category</h2>
        <p className="muted">Customers will no longer see it.</p>
        <Form method="post">
          <button type="submit" name="intent" value="delete" className="button button-danger">
            Delete category
          </button>
        </Form>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{ 404: ({ params }) => <p>No category #{params.id}.</p> }}
    />
  );
}
