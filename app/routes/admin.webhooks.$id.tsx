import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/auth/session.server';
import { Notice } from '~/components/forms';
import { IntentButton } from '~/components/posts';
import { GeneralErrorBoundary } from '~/components/error-page';
import {
  deleteWebhook,
  getWebhook,
  maxAttempts,
  redeliver,
  setWebhookActive,
} from '~/models/webhooks.server';
import { formatDate } from '~/utils/dates';
import { logModeration } from '~/models/audit-log.server';
import { getDb } from '~/utils/db.server';
import { requireIdParam } from '~/utils/params';

export const meta: MetaFunction = () => [{ title: 'Webhook · Administration' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requireIdParam(params.id);
  await requireRole(request, 'admin');
  const found = await getWebhook(getDb(), id);
  if (!found) throw new Response('Not found', { status: 404 });
  return { ...found, maxAttempts };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = requireIdParam(params.id);
  const admin = await requireRole(request, 'admin');
  const db = getDb();
  const formData = await request.formData();
  const here = `/admin/webhooks/${id}`;
  const log = (action: string, data?: Record<string, unknown>) =>
    logModeration(db, { actorId: admin.id, action, targetType: 'webhook', targetId: id, data });
  switch (formData.get('intent')) {
    case 'redeliver': {
      const deliveryId = z.coerce.number().int().positive().safeParse(formData.get('deliveryId'));
      if (!deliveryId.success || !(await redeliver(db, id, deliveryId.data)))
        throw new Response('Not found', { status: 404 });
      await log('webhook_redeliver', { delivery: deliveryId.data });
      return redirect(`${here}?redelivered=1`);
    }
    case 'pause':
    case 'resume':
      await setWebhookActive(db, id, formData.get('intent') === 'resume');
      await log(formData.get('intent') === 'resume' ? 'webhook_resume' : 'webhook_pause');
      return redirect(here);
    case 'delete':
      await log('webhook_delete');
      await deleteWebhook(db, id);
      return redirect('/admin/webhooks');
    default:
      throw new Response('Bad request', { status: 400 });
  }
}

export default function WebhookPage() {
  const { webhook, deliveries, maxAttempts } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  return (
    <>
      <p>
        <Link to="/admin/webhooks">← Webhooks</Link>
      </p>
      <h1 className="break-anywhere">{webhook.url}</h1>
      <Notice>
        {searchParams.has('created')
          ? 'Endpoint added. Verify signatures with the secret below.'
          : searchParams.has('redelivered')
            ? 'The delivery is queued again.'
            : null}
      </Notice>
      <dl className="facts">
        <dt>Events</dt>
        <dd>{webhook.events.join(', ')}</dd>
        <dt>Signing secret</dt>
        <dd>
          <code className="token">{webhook.secret}</code>
        </dd>
        <dt>Status</dt>
        <dd>{webhook.active ? 'Active' : 'Paused'}</dd>
      </dl>
      <div className="button-row">
        <IntentButton intent={webhook.active ? 'pause' : 'resume'}>
          {webhook.active ? 'Pause deliveries' : 'Resume deliveries'}
        </IntentButton>
        <IntentButton intent="delete" danger>
          Delete endpoint
        </IntentButton>
      </div>
      <h2>Recent deliveries</h2>
      {deliveries.length === 0 ? (
        <p className="muted">Nothing has been sent yet.</p>
      ) : (
        <ul className="delivery-list">
          {deliveries.map((delivery) => (
            <li key={delivery.id} className="card delivery">
              <div className="delivery-head">
                <code>{delivery.event_type}</code>
                <span className={`status status-delivery-${delivery.status}`}>
                  {delivery.status}
                </span>
                <span className="muted">
                  {delivery.message_id} · {formatDate(delivery.created_at)} · attempt{' '}
                  {delivery.attempts} of {maxAttempts}
                  {delivery.next_attempt_at
                    ? ` · next ${formatDate(delivery.next_attempt_at)}`
                    : ''}
                </span>
                <IntentButton intent="redeliver" fields={{ deliveryId: delivery.id }}>
                  Redeliver
                </IntentButton>
              </div>
              {delivery.log.length > 0 ? (
                <table className="table table-compact">
                  <caption className="visually-hidden">Attempts</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Response</th>
                      <th scope="col">Time</th>
                    </tr>
                  </thead>
                  <tbody>
                    {delivery.log.map((attempt) => (
                      <tr key={attempt.id}>
                        <td>{formatDate(attempt.created_at)}</td>
                        <td>{attempt.status_code ?? attempt.error ?? 'no response'}</td>
                        <td>{attempt.duration_ms} ms</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{ 404: ({ params }) => <p>No webhook #{params.id}.</p> }}
    />
  );
}
