import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { ArticleForm } from '~/components/article-form';
import { articleSchema, createArticle, staffMembers } from '~/models/articles.server';
import { listCategories } from '~/models/categories.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'New article · Team' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'agent', 'moderator');
  const db = getDb();
  const [categories, staff] = await Promise.all([listCategories(db), staffMembers(db)]);
  return { categories, staff };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, 'agent', 'moderator');
  const formData = await request.formData();
  const parsed = parseForm(formData, articleSchema);
  if (!parsed.success) return formFailure(parsed);
  const created = await createArticle(getDb(), user, parsed.data);
  if (!created.ok)
    return formFailure({ fieldErrors: created.fieldErrors, values: formValues(formData) });
  return redirect(`/agent/articles/${created.id}?saved=1`);
}

export default function NewArticle() {
  const { categories, staff } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>New article</h1>
      <p className="muted">It starts as a draft: only the team sees it until it is published.</p>
      <section className="card">
        <ArticleForm
          values={actionData?.values}
          errors={actionData?.fieldErrors}
          categories={categories}
          staff={staff}
          submitLabel="Save draft"
        />
      </section>
    </div>
  );
}
