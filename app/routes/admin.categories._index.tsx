import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { CategoryForm } from '~/components/category-form';
import { categorySchema, listCategories, saveCategory } from '~/models/categories.server';
import { logModeration } from '~/models/audit-log.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  return { categories: await listCategories(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const formData = await request.formData();
  const parsed = parseForm(formData, categorySchema);
  if (!parsed.success) return formFailure(parsed);
  const saved = await saveCategory(getDb(), parsed.data);
  if (!saved.ok)
    return formFailure({ fieldErrors: saved.fieldErrors, values: formValues(formData) });
  await logModeration(getDb(), {
    actorId: admin.id,
    action: 'category_save',
    targetType: 'category',
    targetId: saved.id,
    data: { name: parsed.data.name },
  });
  return redirect('/admin/categories?created=1');
}

export default function AdminCategories() {
  const { categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const nextPosition = String((categories.at(-1)?.position ?? -10) + 10);
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
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {categories.map((category) => (
                <tr key={category.id}>
                  <td>{category.position}</td>
                  <td>
                    <Link to={`/admin/categories/${category.id}`}>{category.name}</Link>
                  </td>
                  <td>
                    <code>{category.slug}</code>
                  </td>
                  <td className="muted">{category.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="card form-card" aria-labelledby="new-category">
        <h2 id="new-category">Add a category</h2>
        <CategoryForm
          key={categories.length}
          values={actionData?.values ?? { position: nextPosition }}
          errors={actionData?.fieldErrors}
          submitLabel="Add category"
        />
      </section>
    </>
  );
}
