import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { CategoryForm } from '~/components/category-form';
import { VisibilityFields } from '~/components/visibility-fields';
import { categorySchema, listCategories, saveCategory } from '~/models/categories.server';
import {
  audienceOptions,
  parseVisibilityForm,
  saveVisibility,
  visibilitySummaries,
} from '~/models/audiences.server';
import { logModeration } from '~/models/audit-log.server';
import { visibilityLabels, visibilityValues } from '~/models/visibility-form';
import { getDb } from '~/utils/db.server';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const db = getDb();
  const [categories, options] = await Promise.all([listCategories(db), audienceOptions(db)]);
  const visibility = await visibilitySummaries(
    db,
    'category',
    categories.map((category) => category.id),
  );
  return { categories, visibility, ...options };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const db = getDb();
  const formData = await request.formData();
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
  const saved = await saveCategory(db, parsed.data);
  if (!saved.ok) return formFailure({ fieldErrors: saved.fieldErrors, values });
  await saveVisibility(db, admin.id, { type: 'category', id: saved.id }, visibility.data);
  await logModeration(db, {
    actorId: admin.id,
    action: 'category_save',
    targetType: 'category',
    targetId: saved.id,
    data: { name: parsed.data.name },
  });
  return redirect('/admin/categories?created=1');
}

export default function AdminCategories() {
  const { categories, visibility, groups, organizations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const nextPosition = String((categories.at(-1)?.position ?? -10) + 10);
  const values = actionData?.values ?? { position: nextPosition };
  const errors = actionData?.fieldErrors;
  return (
    <>
      <h1>Categories</h1>
      <p className="muted">
        The product areas that questions and articles are filed under, in the order customers see
        them.
      </p>
      {categories.length === 0 ? (
        <p className="empty-state">No categories yet. Add the first one below.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Position</th>
                <th scope="col">Name</th>
                <th scope="col">Slug</th>
                <th scope="col">Who sees it</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {categories.map((category) => {
                const shown = visibility[category.id];
                return (
                  <tr key={category.id}>
                    <td>{category.position}</td>
                    <td>
                      <Link to={`/admin/categories/${category.id}`}>{category.name}</Link>
                    </td>
                    <td>
                      <code>{category.slug}</code>
                    </td>
                    <td>
                      {!shown ? (
                        <span className="muted">{visibilityLabels.public}</span>
                      ) : shown.visibility === 'audience' ? (
                        shown.names.length ? (
                          `Only ${shown.names.join(', ')}`
                        ) : (
                          <span className="muted">Nobody listed: staff only</span>
                        )
                      ) : (
                        visibilityLabels[shown.visibility]
                      )}
                    </td>
                    <td className="muted">{category.description}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <section className="card form-card" aria-labelledby="new-category">
        <h2 id="new-category">Add a category</h2>
        <CategoryForm
          key={categories.length}
          values={values}
          errors={errors}
          submitLabel="Add category"
        >
          <VisibilityFields
            subject="category"
            values={values}
            error={errors?.visibility ?? errors?.groupIds ?? errors?.organizationIds}
            groups={groups}
            organizations={organizations}
          />
        </CategoryForm>
      </section>
    </>
  );
}
