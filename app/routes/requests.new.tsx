import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { z } from 'zod';
import { getViewer, requireUser } from '~/auth/session.server';
import { Field, SelectField } from '~/components/forms';
import { MarkdownEditor } from '~/components/markdown-editor';
import { SimilarContent } from '~/components/search-box';
import { TicketFieldInputs } from '~/components/ticket-field-inputs';
import { categoriesFor } from '~/models/categories.server';
import { readFieldValues, ticketFieldsOf } from '~/models/ticket-fields/ticket-fields.server';
import { createTicket, ticketSchema } from '~/models/tickets.server';
import { canSeeLinkTarget, findLinkTarget } from '~/models/ticket-links.server';
import type { Viewer } from '~/models/visibility.server';
import { appendAttachments } from '~/models/uploads/body-attachments.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'Contact support' }];

const pageSchema = z.object({
  sourceType: z.enum(['article', 'thread']).optional().catch(undefined),
  sourceId: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 40)
    .optional()
    .catch(undefined),
});

/**
 * The article or thread the form was opened from (?article=3 or ?thread=12), if it exists and
 * the customer may open it: one hidden from them is not named, not even by its title.
 */
async function sourcePage(input: Record<string, unknown>, viewer: Viewer) {
  const parsed = pageSchema.parse(input);
  if (!parsed.sourceType || !parsed.sourceId) return null;
  const target = await findLinkTarget(getDb(), { type: parsed.sourceType, id: parsed.sourceId });
  return target && (await canSeeLinkTarget(getDb(), viewer, target)) ? target : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const viewer = await getViewer(request);
  const params = new URL(request.url).searchParams;
  const sourceType = params.has('article')
    ? 'article'
    : params.has('thread')
      ? 'thread'
      : undefined;
  const [categories, fields, source] = await Promise.all([
    categoriesFor(getDb(), viewer),
    ticketFieldsOf(getDb(), { customer: true }),
    sourcePage({ sourceType, sourceId: sourceType ? params.get(sourceType) : undefined }, viewer),
  ]);
  return {
    categories,
    fields,
    source: source
      ? { type: source.type, id: source.id, title: source.title, url: source.url }
      : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await request.formData();
  const attached = await appendAttachments(getDb(), user, formData);
  if (!attached.ok) return formFailure(attached.failure);
  const parsed = parseForm(formData, ticketSchema);
  const fields = readFieldValues(
    await ticketFieldsOf(getDb(), { customer: true }),
    Object.fromEntries(formData),
    { form: true, requireCustomer: true },
  );
  if (!parsed.success || !fields.ok)
    return formFailure({
      fieldErrors: {
        ...(parsed.success ? {} : parsed.fieldErrors),
        ...(fields.ok ? {} : fields.fieldErrors),
      },
      values: formValues(formData),
    });
  const source = await sourcePage(Object.fromEntries(formData), await getViewer(request));
  const created = await createTicket(getDb(), user.id, parsed.data, {
    source: source ? (source.type === 'article' ? 'article' : 'thread') : 'web',
    link: source ? { type: source.type, id: source.id, relation: 'filed_from' } : undefined,
    fields: fields.values,
  });
  if (!created.ok)
    return formFailure({ fieldErrors: created.fieldErrors, values: formValues(formData) });
  return redirect(`/requests/${created.id}?created=1`);
}

export default function ContactSupport() {
  const { categories, fields, source } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = actionData?.values;
  const errors = actionData?.fieldErrors;
  const [subject, setSubject] = useState(values?.subject ?? '');
  const busy = useNavigation().state === 'submitting';
  return (
    <div className="page narrow page-with-similar">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/requests">Your requests</Link>
      </nav>
      <h1>Contact support</h1>
      <p className="muted">
        Tell us what is wrong and what you tried. A person on our team reads every request.
      </p>
      {source ? (
        <p className="source-note" role="note">
          About the {source.type === 'article' ? 'article' : 'question'}{' '}
          <Link to={source.url}>{source.title}</Link>: we will see it with your request.
        </p>
      ) : null}
      <section className="card">
        <Form
          method="post"
          encType="multipart/form-data"
          className="stack form-with-similar"
          noValidate
        >
          {source ? (
            <>
              <input type="hidden" name="sourceType" value={source.type} />
              <input type="hidden" name="sourceId" value={source.id} />
            </>
          ) : null}
          <Field
            label="Subject"
            name="subject"
            defaultValue={values?.subject}
            onChange={(event) => setSubject(event.target.value)}
            error={errors?.subject}
            hint="In a few words: “Invoice totals are wrong after changing the tax rate”."
            maxLength={150}
            autoComplete="off"
            required
          />
          <SimilarContent
            title={subject}
            from="ticket"
            heading="Before you send it, these may answer it:"
          />
          <MarkdownEditor
            label="How can we help?"
            defaultValue={values?.body}
            error={errors?.body}
            attachmentError={errors?.attachments}
            hint="What were you doing, what did you expect, and what happened instead? Markdown works."
            rows={10}
            required
          />
          <SelectField
            label="Product area (optional)"
            name="categoryId"
            defaultValue={values?.categoryId ?? ''}
            error={errors?.categoryId}
          >
            <option value="">Not sure</option>
            {categories.map((category) => (
              <option key={category.id} value={category.id}>
                {category.name}
              </option>
            ))}
          </SelectField>
          <TicketFieldInputs
            fields={fields}
            values={values ?? {}}
            errors={errors}
            required="required_for_customer"
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              {busy ? 'Sending…' : 'Send to support'}
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}
