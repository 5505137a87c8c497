import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { ticketPriorities } from '#db/schema';
import { requireRole } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { TicketFieldInputs } from '~/components/ticket-field-inputs';
import { Field, FormError, SaveAndRemove, SelectField, TextAreaField } from '~/components/forms';
import { staffMembers } from '~/models/articles.server';
import {
  archiveMacro,
  macroFormValues,
  macroSchema,
  saveMacro,
} from '~/models/macros/macros.server';
import { placeholderNames } from '~/models/macros/placeholders';
import { priorityLabels } from '~/models/sla/labels';
import { ticketFieldsOf } from '~/models/ticket-fields/ticket-fields.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formReply, formValues, parseForm } from '~/utils/forms.server';
import { requireIdParam } from '~/utils/params';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.values.title ? `${data.values.title} · Macros` : 'New macro · Macros' },
];

const blank = {
  title: '',
  body: '',
  shared: '',
  status: '',
  priority: '',
  assign: '',
  link: '',
  solve: '',
};

/** `new`, or the id of a macro this person may see. */
function macroIdOf(param: string | undefined) {
  return param === 'new' ? null : requireIdParam(param);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, 'agent', 'moderator');
  const db = getDb();
  const id = macroIdOf(params.id);
  const found =
    id === null ? { values: blank, editable: true } : await macroFormValues(db, user, id);
  if (!found) throw new Response('Not found', { status: 404 });
  const [staff, fields] = await Promise.all([staffMembers(db), ticketFieldsOf(db)]);
  return { id, ...found, staff, fields };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'agent', 'moderator');
  const db = getDb();
  const id = macroIdOf(params.id);
  const formData = await request.formData();
  if (formData.get('intent') === 'archive' && id !== null) {
    const archived = await archiveMacro(db, user, id);
    if (!archived.ok)
      return formReply(archived.status, {
        formError: archived.error,
        values: formValues(formData),
      });
    return redirect('/agent/macros');
  }
  const parsed = parseForm(formData, macroSchema);
  // Custom field values are not in the schema's shape: echo everything typed.
  if (!parsed.success) return formFailure({ ...parsed, values: formValues(formData) });
  const saved = await saveMacro(db, user, id, parsed.data);
  if (!saved.ok)
    return 'status' in saved
      ? formReply(saved.status, { formError: saved.error, values: formValues(formData) })
      : formFailure({ fieldErrors: saved.fieldErrors, values: formValues(formData) });
  return redirect('/agent/macros');
}

export default function MacroEditor() {
  const { id, values: saved, editable, staff, fields } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const values = { ...saved, ...(actionData?.values ?? {}) } as Record<string, string>;
  const errors = (
    actionData && 'fieldErrors' in actionData ? actionData.fieldErrors : {}
  ) as Record<string, string>;
  const formError = actionData && 'formError' in actionData ? actionData.formError : null;
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/agent/macros">Macros</Link>
      </nav>
      <h1>{id === null ? 'New macro' : values.title}</h1>
      {editable ? null : (
        <p className="muted">A shared macro is changed by its author or an admin.</p>
      )}
      <FormError>{formError}</FormError>
      <section className="card form-card">
        <Form method="post" className="stack" noValidate>
          <fieldset disabled={!editable} className="stack plain-fieldset">
            <Field
              label="Title"
              name="title"
              defaultValue={values.title}
              error={errors.title}
              maxLength={120}
            />
            <TextAreaField
              label="Reply"
              name="body"
              rows={8}
              defaultValue={values.body}
              error={errors.body}
              hint={`Markdown. Placeholders: ${placeholderNames.map((name) => `{{${name}}}`).join(', ')}, and {{article:<id>}} for a link to an article.`}
            />
            <label className="choice">
              <input type="checkbox" name="shared" defaultChecked={values.shared === 'on'} /> Shared
              with the team
            </label>
            <fieldset className="choices">
              <legend>Steps that go with it</legend>
              <div className="field-row">
                <SelectField
                  label="Status after the reply"
                  name="status"
                  defaultValue={values.status}
                  error={errors.status}
                >
                  <option value="">Pending (as any reply)</option>
                  <option value="open">Open</option>
                  <option value="pending">Pending</option>
                </SelectField>
                <SelectField
                  label="Priority"
                  name="priority"
                  defaultValue={values.priority}
                  error={errors.priority}
                >
                  <option value="">Leave as it is</option>
                  {ticketPriorities.map((priority) => (
                    <option key={priority} value={priority}>
                      {priorityLabels[priority]}
                    </option>
                  ))}
                </SelectField>
                <SelectField
                  label="Assign"
                  name="assign"
                  defaultValue={values.assign}
                  error={errors.assign}
                >
                  <option value="">Leave as it is</option>
                  <option value="me">To whoever applies it</option>
                  <option value="nobody">To nobody</option>
                  {staff.map((member) => (
                    <option key={member.id} value={member.id}>
                      {member.display_name}
                    </option>
                  ))}
                </SelectField>
              </div>
              <Field
                label="Link an article or question (optional)"
                name="link"
                defaultValue={values.link}
                error={errors.link}
                hint="Paste its address. It is linked on the ticket and, if the macro solves, credited as what resolved it."
              />
              {fields.length > 0 ? (
                <div className="field-row">
                  <TicketFieldInputs fields={fields} values={values} errors={errors} />
                </div>
              ) : null}
              <label className="choice">
                <input type="checkbox" name="solve" defaultChecked={values.solve === 'on'} /> Solve
                the ticket
              </label>
            </fieldset>
            <SaveAndRemove save="Save macro" removable={id !== null} busy={busy} />
          </fieldset>
        </Form>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary statusHandlers={{ 404: () => <p>No such macro.</p> }} />;
}
