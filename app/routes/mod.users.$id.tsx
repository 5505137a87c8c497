import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { FormError, Notice } from '~/components/forms';
import { GroupMemberships } from '~/components/group-memberships';
import { groupsOfUser } from '~/models/groups.server';
import { logActionLabels } from '~/models/moderation-labels';
import {
  moderationProfile,
  periodSchema,
  reasonSchema,
  removeSpammer,
  restoreSpammer,
  silenceUser,
  suspendUser,
  unsilenceUser,
  unsuspendUser,
  warnUser,
} from '~/models/sanctions.server';
import { formatDate, formatDay } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { formError } from '~/utils/forms.server';
import { requireIdParam } from '~/utils/params';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.user.display_name} · Moderation` : 'Not found' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requireIdParam(params.id);
  await requireRole(request, 'moderator');
  const [profile, groups] = await Promise.all([
    moderationProfile(getDb(), id),
    groupsOfUser(getDb(), id),
  ]);
  if (!profile) throw new Response('Not found', { status: 404 });
  return { ...profile, groups, now: new Date().toISOString() };
}

const intents = [
  'warn',
  'suspend',
  'unsuspend',
  'silence',
  'unsilence',
  'remove-spammer',
  'restore-spammer',
] as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const id = requireIdParam(params.id);
  const actor = await requireRole(request, 'moderator');
  const db = getDb();
  const formData = await request.formData();
  const fields = Object.fromEntries(formData);
  const intent = z.enum(intents).safeParse(fields.intent);
  if (!intent.success) return formError(400, 'That action could not be read.');
  const needsPeriod = intent.data === 'suspend' || intent.data === 'silence';
  const parsed = needsPeriod ? periodSchema.safeParse(fields) : reasonSchema.safeParse(fields);
  if (!parsed.success)
    return formError(400, parsed.error.issues[0]?.message ?? 'Give a reason.', intent.data);
  const input = parsed.data as { reason: string; days: number };
  const result = await {
    warn: () => warnUser(db, actor, id, input.reason, null),
    suspend: () => suspendUser(db, actor, id, input),
    unsuspend: () => unsuspendUser(db, actor, id, input.reason),
    silence: () => silenceUser(db, actor, id, input),
    unsilence: () => unsilenceUser(db, actor, id, input.reason),
    'remove-spammer': () => removeSpammer(db, actor, id, input.reason),
    'restore-spammer': () => restoreSpammer(db, actor, id, input.reason),
  }[intent.data]();
  if (!result.ok) return formError(result.status, result.error, intent.data);
  return redirect(`/mod/users/${id}?done=${intent.data}`);
}

function ActionForm({
  intent,
  label,
  period = false,
  danger = false,
}: {
  intent: (typeof intents)[number];
  label: string;
  period?: boolean;
  danger?: boolean;
}) {
  return (
    <Form method="post" className="sanction-form">
      <input type="hidden" name="intent" value={intent} />
      {period ? (
        <label>
          For{' '}
          <select name="days" defaultValue="7">
            <option value="1">1 day</option>
            <option value="3">3 days</option>
            <option value="7">7 days</option>
            <option value="30">30 days</option>
            <option value="365">1 year</option>
          </select>
        </label>
      ) : null}
      <label>
        Reason <input name="reason" maxLength={1000} required />
      </label>
      <button
        type="submit"
        className={
          danger ? 'button button-small button-danger' : 'button button-small button-secondary'
        }
      >
        {label}
      </button>
    </Form>
  );
}

export default function ModerateUser() {
  const { user, history, groups, now } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const suspended = user.suspended_until !== null && user.suspended_until > now;
  const silenced = user.silenced_until !== null && user.silenced_until > now;
  return (
    <>
      <header className="page-title-row">
        <div>
          <h1>{user.display_name}</h1>
          <p className="muted">
            <Link to={`/users/${encodeURIComponent(user.username)}`}>@{user.username}</Link> ·{' '}
            {user.email} · {user.role} · joined {formatDay(user.created_at)}
          </p>
        </div>
      </header>
      <Notice>{searchParams.get('done') ? 'Done, and written to the audit log.' : null}</Notice>
      <FormError>{actionData?.formError}</FormError>
      <section className="card" aria-labelledby="standing-title">
        <h2 id="standing-title">Standing</h2>
        <ul className="standing">
          <li>
            {suspended ? (
              <>
                <strong>Suspended</strong> until {formatDay(user.suspended_until!)}:{' '}
                {user.suspended_reason}
              </>
            ) : (
              'Not suspended'
            )}
          </li>
          <li>
            {silenced ? (
              <>
                <strong>Silenced</strong> until {formatDay(user.silenced_until!)}:{' '}
                {user.silenced_reason}
              </>
            ) : (
              'Not silenced'
            )}
          </li>
          {user.spammer_at ? (
            <li>
              <strong>Removed as a spammer</strong> on {formatDay(user.spammer_at)}
            </li>
          ) : null}
        </ul>
      </section>
      <section className="card" aria-labelledby="groups-title">
        <h2 id="groups-title">Groups</h2>
        <GroupMemberships
          groups={groups}
          empty="Not in any group."
          linkTo={(groupId) => `/groups/${groupId}`}
        />
      </section>
      <section className="card sanctions" aria-labelledby="actions-title">
        <h2 id="actions-title">Actions</h2>
        <ActionForm intent="warn" label="Send a warning" />
        {suspended ? (
          <ActionForm intent="unsuspend" label="Lift the suspension" />
        ) : (
          <ActionForm intent="suspend" label="Suspend" period danger />
        )}
        {silenced ? (
          <ActionForm intent="unsilence" label="Lift the silence" />
        ) : (
          <ActionForm intent="silence" label="Silence" period />
        )}
        {user.spammer_at ? (
          <ActionForm intent="restore-spammer" label="Restore their content" />
        ) : (
          <ActionForm
            intent="remove-spammer"
            label="Remove as spammer (hides all their posts)"
            danger
          />
        )}
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        {history.length === 0 ? (
          <p className="muted">No moderation history.</p>
        ) : (
          <ul className="item-list">
            {history.map((entry) => (
              <li key={entry.id}>
                <strong>{entry.actor_name ?? 'Automatic'}</strong>{' '}
                {logActionLabels[entry.action] ?? entry.action}
                {entry.reason ? `: ${entry.reason}` : ''}{' '}
                <span className="muted">{formatDate(entry.created_at)}</span>
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link to={`/mod/log?user=${encodeURIComponent(user.username)}`}>
            Everything about them in the log
          </Link>
        </p>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{ 404: ({ params }) => <p>No member #{params.id}.</p> }}
    />
  );
}
