import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { webhookEvents } from '#db/schema';
import { requireRole } from '~/auth/session.server';
import { Field } from '~/components/forms';
import { createWebhook, listWebhooks, webhookSchema } from '~/models/webhooks.server';
import { webhookEventLabels } from '~/models/support-labels';
import { logModeration } from '~/models/audit-log.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'Webhooks · Administration' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  return { webhooks: await listWebhooks(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, 'admin');
  const formData = await request.formData();
  const parsed = parseForm(formData, webhookSchema);
  if (!parsed.success) return formFailure(parsed);
  const created = await createWebhook(getDb(), user.id, parsed.data);
  if (!created.ok)
    return formFailure({ fieldErrors: created.fieldErrors, values: formValues(formData) });
  await logModeration(getDb(), {
    actorId: user.id,
    action: 'webhook_create',
    targetType: 'webhook',
    targetId: created.id,
    data: { url: parsed.data.url, events: parsed.data.events },
  });
  return redirect(`/admin/webhooks/${created.id}?created=1`);
}

export default function Webhooks() {
  const { webhooks } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  return (
    <>
      <h1>Webhooks</h1>
      <p className="muted">
        Commons POSTs JSON to your endpoints when things happen, signed the{' '}
        <a href="https://www.standardwebhooks.com/" rel="noopener noreferrer">
          Standard Webhooks
        </a>{' '}
        way. Failed deliveries are retried for more than 24 hours.
      </p>
      {webhooks.length === 0 ? null : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Events</th>
                <th scope="col">Deliveries</th>
              </tr>
            </thead>
            <tbody>
              {webhooks.map((webhook) => (
                <tr key={webhook.id} className={webhook.active ? undefined : 'row-muted'}>
                  <td>
                    <Link to={`/admin/webhooks/${webhook.id}`}>{webhook.url}</Link>
                    <div className="muted">
                      {webhook.active ? '' : 'Paused · '}
                      {webhook.description}
                    </div>
                  </td>
                  <td>{webhook.events.split(' ').join(', ')}</td>
                  <td>
                    {Number(webhook.pending ?? 0)} waiting · {Number(webhook.failed ?? 0)} failed
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="card form-card" aria-labelledby="new-webhook-title">
        <h2 id="new-webhook-title">New endpoint</h2>
        <Form method="post" className="stack" noValidate>
          <Field
            label="URL"
            name="url"
            type="url"
            defaultValue={actionData?.values.url}
            error={actionData?.fieldErrors.url}
            placeholder="https://example.com/hooks/commons"
          />
          <Field
            label="Description (optional)"
            name="description"
            defaultValue={actionData?.values.description}
            error={actionData?.fieldErrors.description}
            maxLength={200}
          />
          <fieldset className="choices">
            <legend>Events</legend>
            {webhookEvents.map((event) => (
              <label className="choice" key={event}>
                <input type="checkbox" name="events" value={event} /> <code>{event}</code> —{' '}
                {webhookEventLabels[event]}
              </label>
            ))}
            {actionData?.fieldErrors.events ? (
              <p className="field-error">{actionData.fieldErrors.events}</p>
            ) : null}
          </fieldset>
          <div>
            <button type="submit" className="button" disabled={busy}>
              Add endpoint
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
