import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { requireUser } from '~/auth/session.server';
import { Field } from '~/components/forms';
import { MarkdownEditor } from '~/components/markdown-editor';
import { GeneralErrorBoundary } from '~/components/error-page';
import { answerSchema, editAnswer, getAnswerForEdit } from '~/models/posts.server';
import { appendAttachments } from '~/models/uploads/body-attachments.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';
import { requireIdParam } from '~/utils/params';
import { answerPath } from '#lib/content-urls';

export const meta: MetaFunction = () => [{ title: 'Edit answer' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const found = await getAnswerForEdit(getDb(), requireIdParam(params.id), user);
  if (!found.ok)
    throw new Response(
      found.status === 404 ? 'Not found' : 'Only the author or a moderator can edit this answer.',
      { status: found.status },
    );
  return { post: found.post };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = requireIdParam(params.id);
  const formData = await request.formData();
  const db = getDb();
  const attached = await appendAttachments(db, user, formData);
  if (!attached.ok) return formFailure(attached.failure);
  const parsed = parseForm(formData, answerSchema);
  if (!parsed.success) return formFailure(parsed);
  const result = await editAnswer(db, user, id, parsed.data);
  if (!result.ok) {
    if (result.status !== 400) throw new Response(result.error, { status: result.status });
    return formFailure({
      fieldErrors: result.error.startsWith('Say why')
        ? { reason: result.error }
        : { body: result.error },
      values: formValues(formData),
    });
  }
  return redirect(answerPath({ id: result.threadId }, id));
}

export default function EditAnswerPage() {
  const { post } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  return (
    <div className="page narrow">
      <p className="breadcrumbs">
        <Link to={answerPath({ id: post.thread_id }, post.id)}>Back to the question</Link>
      </p>
      <h1>Edit answer</h1>
      <section className="card">
        <Form method="post" encType="multipart/form-data" className="stack" noValidate>
          <MarkdownEditor
            label="Answer"
            defaultValue={actionData?.values.body ?? post.body_md}
            error={actionData?.fieldErrors.body}
            attachmentError={actionData?.fieldErrors.attachments}
            rows={12}
          />
          <Field
            label="Edit summary (optional)"
            name="reason"
            defaultValue={actionData?.values.reason}
            error={actionData?.fieldErrors.reason}
            maxLength={300}
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              Save edits
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        404: ({ params }) => <p>No answer #{params.id}. It may have been removed.</p>,
      }}
    />
  );
}
