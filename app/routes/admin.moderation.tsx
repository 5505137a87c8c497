import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import {
  Form,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { Field, Notice, TextAreaField } from '~/components/forms';
import {
  moderationSettings,
  moderationSettingsSchema,
  saveModerationSettings,
} from '~/models/moderation.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'Moderation · Administration' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  return moderationSettings(getDb());
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, 'admin');
  const formData = await request.formData();
  const parsed = parseForm(formData, moderationSettingsSchema);
  if (!parsed.success) return formFailure(parsed);
  const saved = await saveModerationSettings(getDb(), user, parsed.data);
  if (!saved.ok)
    return formFailure({ fieldErrors: saved.fieldErrors, values: formValues(formData) });
  return redirect('/admin/moderation?saved=1');
}

export default function ModerationSettings() {
  const settings = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const values = actionData?.values;
  const errors = actionData?.fieldErrors;
  const value = (key: string, fallback: string | number) => values?.[key] ?? String(fallback);
  return (
    <>
      <h1>Moderation</h1>
      <Notice>{searchParams.has('saved') ? 'Saved, and written to the audit log.' : null}</Notice>
      <section className="card form-card">
        <Form method="post" className="stack" noValidate>
          <Field
            label="Flags that hide a post"
            name="flagThreshold"
            type="number"
            min={1}
            max={100}
            defaultValue={value('flagThreshold', settings.flagThreshold)}
            error={errors?.flagThreshold}
            hint="When this many different people flag a post, comment or article, it is hidden until a moderator reviews it."
          />
          <TextAreaField
            label="Watched words"
            name="watchedWords"
            rows={6}
            defaultValue={value('watchedWords', settings.watchedWords)}
            error={errors?.watchedWords}
            hint="One word or phrase per line, or a /regular expression/. Posts that contain one wait for a moderator's approval."
          />
          <fieldset className="choices">
            <legend>Posting limits per minute</legend>
            <div className="field-row">
              <Field
                label="Questions and answers"
                name="posts"
                type="number"
                min={1}
                defaultValue={value('posts', settings.rateLimits.posts)}
                error={errors?.posts}
              />
              <Field
                label="Comments"
                name="comments"
                type="number"
                min={1}
                defaultValue={value('comments', settings.rateLimits.comments)}
                error={errors?.comments}
              />
            </div>
            <div className="field-row">
              <Field
                label="Questions and answers, first day"
                name="newPosts"
                type="number"
                min={1}
                defaultValue={value('newPosts', settings.rateLimits.newPosts)}
                error={errors?.newPosts}
              />
              <Field
                label="Comments, first day"
                name="newComments"
                type="number"
                min={1}
                defaultValue={value('newComments', settings.rateLimits.newComments)}
                error={errors?.newComments}
              />
            </div>
          </fieldset>
          <div>
            <button type="submit" className="button" disabled={busy}>
              Save
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
