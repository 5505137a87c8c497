import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { GeneralErrorBoundary } from '~/components/error-page';
import { readUnsubscribeLink, unsubscribe } from '~/models/mail/unsubscribe.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Unsubscribe' }];

/**
 * One-click unsubscribe (RFC 8058). Mail clients POST to the link in `List-Unsubscribe` with
 * `List-Unsubscribe=One-Click`; a person who opens the link gets a button, so a link scanner's
 * GET changes nothing. No sign-in: the signed link itself says whose preference and which kind.
 */
async function linkOf(request: Request) {
  const found = await readUnsubscribeLink(getDb(), new URL(request.url).searchParams);
  if (!found) throw new Response('Not found', { status: 404 });
  return found;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const link = await linkOf(request);
  return { label: link.label };
}

export async function action({ request }: ActionFunctionArgs) {
  const link = await linkOf(request);
  await unsubscribe(getDb(), link);
  return { done: true, label: link.label };
}

export default function Unsubscribe() {
  const { label } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>()?.done ?? false;
  const busy = useNavigation().state === 'submitting';
  return (
    <div className="auth-page">
      <section className="card auth-card unsubscribe-card" aria-labelledby="unsubscribe-title">
        <h1 id="unsubscribe-title">{done ? 'You are unsubscribed' : 'Stop these mails?'}</h1>
        {done ? (
          <div role="status" className="stack">
            <p>You will get no more mails for “{label}”. Everything else stays as it was.</p>
            <p className="muted">
              Changed your mind? Turn it back on in{' '}
              <Link to="/settings/notifications">your notification settings</Link>.
            </p>
            <p>
              <Link className="button button-secondary button-block" to="/">
                Go to the help center
              </Link>
            </p>
          </div>
        ) : (
          <Form method="post" className="stack">
            <p>You will get no more mails for “{label}”. Other kinds of mail are not affected.</p>
            <button type="submit" className="button button-block" disabled={busy}>
              {busy ? 'Unsubscribing…' : 'Unsubscribe'}
            </button>
            <p className="muted unsubscribe-alt">
              Or choose how often each kind of mail comes in{' '}
              <Link to="/settings/notifications">your notification settings</Link>.
            </p>
          </Form>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        404: () => (
          <p>This unsubscribe link is not valid. Open the newest mail and use its link.</p>
        ),
      }}
    />
  );
}
