import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { ticketFieldTypes } from '#db/schema';
import { requireRole } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import {
  CheckboxField,
  Field,
  SaveAndRemove,
  SelectField,
  TextAreaField,
} from '~/components/forms';
import { fieldTypeLabels } from '~/models/ticket-fields/field-values';
import {
  archiveTicketField,
  saveTicketField,
  ticketFieldSchema,
} from '~/models/ticket-fields/ticket-fields.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';
import { requireIdParam } from '~/utils/params';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.values.label || 'New field'} · Ticket fields` },
];

const blank = {
  label: '',
  key: '',
  type: 'text',
  options: '',
  hint: '',
  customerVisible: '',
  requiredForCustomer: '',
  requiredToSolve: '',
};

const fieldIdOf = (param: string | undefined) => (param === 'new' ? null : requireIdParam(param));

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const id = fieldIdOf(params.id);
  if (id === null) return { id, values: blank };
  const field = await getDb()
    .selectFrom('ticket_fields')
    .selectAll()
    .where('id', '=', id)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  if (!field) throw new Response('Not found', { status: 404 });
  const on = (flag: 0 | 1) => (flag ? 'on' : '');
  return {
    id,
    values: {
      label: field.label,
      key: field.key,
      type: field.type,
      options: field.options,
      hint: field.hint,
      customerVisible: on(field.customer_visible),
      requiredForCustomer: on(field.required_for_customer),
      requiredToSolve: on(field.required_to_solve),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'admin');
  const db = getDb();
  const id = fieldIdOf(params.id);
  const formData = await request.formData();
  if (formData.get('intent') === 'archive' && id !== null) {
    await archiveTicketField(db, user, id);
    return redirect('/admin/ticket-fields');
  }
  const parsed = parseForm(formData, ticketFieldSchema);
  if (!parsed.success) return formFailure(parsed);
  const saved = await saveTicketField(db, user, id, parsed.data);
  if (!saved.ok)
    return formFailure({ fieldErrors: saved.fieldErrors, values: formValues(formData) });
  return redirect('/admin/ticket-fields');
}

export default function TicketFieldEditor() {
  const { id, values: saved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  // Unticked boxes send nothing: after a failed save, the typed values stand alone.
  const values: Record<string, string> = actionData?.values ?? saved;
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const [type, setType] = useState(values.type || 'text');
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/admin/ticket-fields">Ticket fields</Link>
      </nav>
      <h1>{id === null ? 'New field' : saved.label}</h1>
      <section className="card form-card">
        <Form method="post" className="stack" noValidate>
          <div className="field-row">
            <Field
              label="Label"
              name="label"
              defaultValue={values.label}
              error={errors.label}
              maxLength={80}
              hint="As agents and customers read it: “Plan”, “Order number”."
            />
            {id === null ? (
              <Field
                label="Key (optional)"
                name="key"
                defaultValue={values.key}
                error={errors.key}
                maxLength={40}
                hint="Names it in the API, webhooks and CSV; made from the label when empty. It cannot change later."
              />
            ) : (
              <Field label="Key" name="key" defaultValue={values.key} readOnly hint="Fixed." />
            )}
          </div>
          <SelectField
            label="Type"
            name="type"
            defaultValue={values.type}
            error={errors.type}
            onChange={(event) => setType(event.target.value)}
          >
            {ticketFieldTypes.map((option) => (
              <option key={option} value={option}>
                {fieldTypeLabels[option]}
              </option>
            ))}
          </SelectField>
          {type === 'dropdown' ? (
            <TextAreaField
              label="Choices"
              name="options"
              rows={5}
              defaultValue={values.options}
              error={errors.options}
              hint="One per line, in the order the list shows them."
            />
          ) : (
            <input type="hidden" name="options" value={values.options} />
          )}
          <Field
            label="Hint (optional)"
            name="hint"
            defaultValue={values.hint}
            error={errors.hint}
            maxLength={200}
            hint="Shown under the field: where to find an order number, say."
          />
          <fieldset className="choices">
            <legend>Who fills it in</legend>
            <CheckboxField
              label="Customers see it on the contact form"
              name="customerVisible"
              defaultChecked={values.customerVisible === 'on'}
              error={errors.customerVisible}
            />
            <CheckboxField
              label="Customers must fill it in"
              name="requiredForCustomer"
              defaultChecked={values.requiredForCustomer === 'on'}
              error={errors.requiredForCustomer}
            />
            <CheckboxField
              label="Agents must fill it in before solving"
              name="requiredToSolve"
              defaultChecked={values.requiredToSolve === 'on'}
              error={errors.requiredToSolve}
            />
          </fieldset>
          <SaveAndRemove save="Save field" removable={id !== null} busy={busy} />
        </Form>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary statusHandlers={{ 404: () => <p>No such field.</p> }} />;
}
