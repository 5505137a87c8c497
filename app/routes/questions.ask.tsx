import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { getViewer, requireUser } from '~/auth/session.server';
import { FormError } from '~/components/forms';
import { QuestionForm } from '~/components/question-form';
import { categoriesFor } from '~/models/categories.server';
import { popularTags } from '~/models/tags.server';
import { postingCheck } from '~/models/posting-rules.server';
import { askQuestion, questionSchema } from '~/models/threads.server';
import { appendAttachments } from '~/models/uploads/body-attachments.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';
import { questionPath } from '#lib/content-urls';

export const meta: MetaFunction = () => [{ title: 'Ask a question' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const db = getDb();
  const viewer = await getViewer(request);
  const [categories, tags] = await Promise.all([
    categoriesFor(db, viewer),
    popularTags(db, viewer, 40),
  ]);
  return { categories, suggestedTags: tags.map((tag) => tag.name) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await request.formData();
  const db = getDb();
  const attached = await appendAttachments(db, user, formData);
  if (!attached.ok) return formFailure(attached.failure);
  const parsed = parseForm(formData, questionSchema);
  if (!parsed.success) return formFailure(parsed);
  const allowed = await postingCheck(db, user, 'post', `${parsed.data.title}\n${parsed.data.body}`);
  if (!allowed.ok)
    return formFailure(
      { fieldErrors: {}, formError: allowed.error, values: formValues(formData) },
      allowed.status,
    );
  const asked = await askQuestion(db, user, parsed.data, new Date(), {
    awaitingReview: allowed.awaitingReview,
  });
  if (!asked.ok)
    return formFailure({ fieldErrors: asked.fieldErrors, values: formValues(formData) });
  return redirect(`${questionPath(asked)}${allowed.awaitingReview ? '?awaiting=1' : ''}`);
}

export default function AskPage() {
  const { categories, suggestedTags } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="page narrow page-with-similar">
      <h1>Ask the community</h1>
      <p className="muted">
        Customers and our team answer here. A clear title and the steps you tried get the fastest
        answers.
      </p>
      <FormError>{actionData && 'formError' in actionData ? actionData.formError : null}</FormError>
      <section className="card">
        <QuestionForm
          values={actionData?.values}
          errors={actionData?.fieldErrors}
          categories={categories}
          suggestedTags={suggestedTags}
          submitLabel="Post your question"
        />
      </section>
    </div>
  );
}
