import { Form } from '@remix-run/react';
import { FormError } from '~/components/forms';
import { TicketFieldInputs } from '~/components/ticket-field-inputs';
import type { FormReply } from '~/utils/forms.server';
import type { AgentTicketData as Page } from './route';

/** The ticket's custom fields, edited together; those needed before solving say so. */
export function FieldsCard({
  page,
  reply,
  busy,
}: {
  page: Page;
  reply?: FormReply;
  busy: boolean;
}) {
  if (page.fields.length === 0) return null;
  const closed = page.ticket.status === 'closed';
  return (
    <section className="card side-card" aria-labelledby="fields-title">
      <h2 id="fields-title">Fields</h2>
      <FormError>{reply?.formError}</FormError>
      <Form method="post" className="stack-small" noValidate key={JSON.stringify(page.fieldValues)}>
        <input type="hidden" name="intent" value="fields" />
        <fieldset disabled={closed} className="stack-small plain-fieldset">
          <TicketFieldInputs
            fields={page.fields}
            values={reply?.values ?? page.fieldValues}
            errors={reply?.fieldErrors}
            required="required_to_solve"
          />
          {closed ? null : (
            <div>
              <button
                type="submit"
                className="button button-small button-secondary"
                disabled={busy}
              >
                Save fields
              </button>
            </div>
          )}
        </fieldset>
      </Form>
    </section>
  );
}
