import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { currentSession, requireUser } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { SettingsNav } from '~/components/settings-nav';
import { FormError, Notice } from '~/components/forms';
import { endOtherSessions, endSession, listSessions } from '~/models/sessions.server';
import { formatDate, timeAgo } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { formError, formReply } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'Where you are signed in' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const session = await currentSession(request);
  return { sessions: await listSessions(getDb(), user.id, session?.id ?? null) };
}

const actionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('end'), session: z.string().min(1).max(128) }),
  z.object({ intent: z.literal('end-others') }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const session = await currentSession(request);
  const formData = await request.formData();
  const parsed = actionSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success || !session) return formError(400, 'Choose a session to sign out of.');
  const db = getDb();
  if (parsed.data.intent === 'end-others') {
    const ended = await endOtherSessions(db, { userId: user.id, currentToken: session.id });
    return formReply(200, {
      notice:
        ended === 0
          ? 'You were signed in nowhere else.'
          : `Signed out of ${ended === 1 ? 'one other session' : `${ended} other sessions`}.`,
    });
  }
  const device = await endSession(db, {
    userId: user.id,
    key: parsed.data.session,
    currentToken: session.id,
  });
  return formReply(200, {
    notice: device ? `Signed out of ${device}.` : 'That session had already ended.',
  });
}

export default function SecuritySettings() {
  const { sessions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const others = sessions.filter((session) => !session.current).length;
  return (
    <div className="page narrow stack">
      <h1>Where you are signed in</h1>
      <SettingsNav />
      <Notice>{actionData?.notice}</Notice>
      <FormError>{actionData?.formError}</FormError>
      <section className="card stack settings-card" aria-labelledby="sessions-heading">
        <div>
          <h2 id="sessions-heading">Sessions</h2>
          <p className="muted">
            If you do not recognise one, sign out of it and{' '}
            <Link to="/forgot-password">choose a new password</Link>: a new password signs out every
            other session too.
          </p>
        </div>
        <ul className="session-list" aria-label="Sessions">
          {sessions.map((session) => (
            <li key={session.key} className="session-row">
              <div className="session-what">
                <strong className="break">{session.device}</strong>
                <span className="muted">
                  {session.address ? <span className="break">{session.address}</span> : null}
                  {session.address ? ' · ' : null}
                  {session.current
                    ? 'active now'
                    : session.lastSeenAt
                      ? `last seen ${timeAgo(session.lastSeenAt)}`
                      : 'signed in before devices were recorded'}
                  {session.startedAt ? ` · signed in ${formatDate(session.startedAt)}` : null}
                </span>
              </div>
              {session.current ? (
                <span className="badge badge-success">This browser</span>
              ) : (
                <Form method="post">
                  <input type="hidden" name="intent" value="end" />
                  <input type="hidden" name="session" value={session.key} />
                  <button
                    type="submit"
                    className="button button-secondary button-small"
                    aria-label={`Sign out of ${session.device}`}
                    disabled={busy}
                  >
                    Sign out
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
        {others > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="end-others" />
            <button type="submit" className="button" disabled={busy}>
              Sign out everywhere else
            </button>
          </Form>
        ) : (
          <p className="muted">You are signed in only here.</p>
        )}
      </section>
    </div>
  );
}

export function headers() {
  return { 'Cache-Control': 'no-store' };
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
