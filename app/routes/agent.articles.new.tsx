import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { ArticleForm } from '~/components/article-form';
import { VisibilityFields } from '~/components/visibility-fields';
import { articleSchema, createArticle, staffMembers } from '~/models/articles.server';
import { listCategories } from '~/models/categories.server';
import { audienceOptions, parseVisibilityForm, saveVisibility } from '~/models/audiences.server';
import { visibilityValues } from '~/models/visibility-form';
import { attachDraftToGap, gapDraft } from '~/models/analytics/gap-actions.server';
import { appendAttachments } from '~/models/uploads/body-attachments.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'New article · Team' }];

/** The content gap a draft is written from (/agent/articles/new?gap=12), if any. */
function gapFrom(request: Request): number | null {
  const id = Number(new URL(request.url).searchParams.get('gap'));
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'agent', 'moderator');
  const db = getDb();
  const gapId = gapFrom(request);
  const [categories, staff, gap, options] = await Promise.all([
    listCategories(db),
    staffMembers(db),
    gapId ? gapDraft(db, gapId) : null,
    audienceOptions(db),
  ]);
  return { categories, staff, gap, ...options };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, 'agent', 'moderator');
  const formData = await request.formData();
  const attached = await appendAttachments(getDb(), user, formData);
  if (!attached.ok) return formFailure(attached.failure);
  const values = { ...formValues(formData, articleSchema), ...visibilityValues(formData) };
  const parsed = parseForm(formData, articleSchema);
  const visibility = await parseVisibilityForm(getDb(), formData);
  if (!parsed.success || !visibility.success)
    return formFailure({
      fieldErrors: {
        ...(parsed.success ? {} : parsed.fieldErrors),
        ...(visibility.success ? {} : visibility.fieldErrors),
      },
      values,
    });
  const created = await createArticle(getDb(), user, parsed.data);
  if (!created.ok)
    return formFailure({ fieldErrors: created.fieldErrors, values: formValues(formData) });
  await saveVisibility(getDb(), user.id, { type: 'article', id: created.id }, visibility.data);
  // Written from a content gap (the form posts back to ?gap=): the gap remembers its draft.
  const gapId = gapFrom(request);
  if (gapId && (await gapDraft(getDb(), gapId))) await attachDraftToGap(getDb(), gapId, created.id);
  return redirect(`/agent/articles/${created.id}?saved=1`);
}

export default function NewArticle() {
  const { categories, staff, gap, groups, organizations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = actionData?.values ?? gap?.values;
  const errors = actionData?.fieldErrors;
  return (
    <div className="narrow">
      <h1>New article</h1>
      <p className="muted">It starts as a draft: only the team sees it until it is published.</p>
      {gap ? (
        <p className="alert alert-warning" role="note">
          Written for the content gap “{gap.title}”: the evidence is a checklist in a comment at the
          top of the article. Publishing the article marks the gap as done.
        </p>
      ) : null}
      <section className="card">
        <ArticleForm
          values={values}
          errors={errors}
          categories={categories}
          staff={staff}
          submitLabel="Save draft"
        >
          <VisibilityFields
            subject="article"
            values={actionData?.values ?? {}}
            error={errors?.visibility ?? errors?.groupIds ?? errors?.organizationIds}
            groups={groups}
            organizations={organizations}
          />
        </ArticleForm>
      </section>
    </div>
  );
}
