import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { getViewer, requireUser } from '~/auth/session.server';
import { QuestionForm } from '~/components/question-form';
import { GeneralErrorBoundary } from '~/components/error-page';
import { categoriesFor } from '~/models/categories.server';
import { canEdit } from '~/models/permissions';
import { popularTags } from '~/models/tags.server';
import {
  editQuestion,
  getThreadForPage,
  getThreadTags,
  questionSchema,
} from '~/models/threads.server';
import { appendAttachments } from '~/models/uploads/body-attachments.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';
import { requireIdParam } from '~/utils/params';
import { questionPath } from '#lib/content-urls';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Edit: ${data.thread.title}` : 'Edit question' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const viewer = await getViewer(request);
  const db = getDb();
  const thread = await getThreadForPage(db, requireIdParam(params.id), user, viewer);
  if (!thread) throw new Response('Not found', { status: 404 });
  if (!canEdit(user, thread.author_id))
    throw new Response('Only the author or a moderator can edit this question.', { status: 403 });
  const [categories, tags, threadTags] = await Promise.all([
    categoriesFor(db, viewer),
    popularTags(db, viewer, 40),
    getThreadTags(db, thread.id),
  ]);
  return {
    thread: { ...thread, tags: threadTags },
    categories,
    suggestedTags: tags.map((tag) => tag.name),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = requireIdParam(params.id);
  const formData = await request.formData();
  const db = getDb();
  const attached = await appendAttachments(db, user, formData);
  if (!attached.ok) return formFailure(attached.failure);
  const parsed = parseForm(formData, questionSchema);
  if (!parsed.success) return formFailure(parsed);
  const result = await editQuestion(db, user, id, parsed.data);
  if (!result.ok) {
    if (result.status)
      throw new Response(result.status === 404 ? 'Not found' : 'Forbidden', {
        status: result.status,
      });
    return formFailure({ fieldErrors: result.fieldErrors, values: formValues(formData) });
  }
  return redirect(questionPath({ id, slug: result.slug }));
}

export default function EditQuestionPage() {
  const { thread, categories, suggestedTags } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = actionData?.values ?? {
    title: thread.title,
    body: thread.body_md,
    categoryId: thread.category_id ? String(thread.category_id) : '',
    tags: thread.tags.join(' '),
    journeyStage: thread.journey_stage ?? '',
  };
  return (
    <div className="page narrow">
      <p className="breadcrumbs">
        <Link to={questionPath(thread)}>Back to the question</Link>
      </p>
      <h1>Edit question</h1>
      <section className="card">
        <QuestionForm
          values={values}
          errors={actionData?.fieldErrors}
          categories={categories}
          suggestedTags={suggestedTags}
          submitLabel="Save edits"
          editing
        />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        404: ({ params }) => <p>No question #{params.id}. It may have been removed.</p>,
      }}
    />
  );
}
