import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { linkProblem } from '~/auth/password-links.server';
import { LinkProblem } from '~/components/account-links';
import { GeneralErrorBoundary } from '~/components/error-page';
import { confirmAddress, lookUpAddressLink } from '~/models/email-addresses.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Confirm your email address' }];

// NOTE: opening the link only shows a button; the address is confirmed by the POST, so a mail
// scanner that follows links cannot use them up.
export async function loader({ params }: LoaderFunctionArgs) {
  const link = await lookUpAddressLink(getDb(), params.token ?? '');
  if (link.state !== 'valid') return linkProblem(link.state);
  return { problem: null, email: link.email, change: link.purpose === 'email_change' };
}

export async function action({ params }: ActionFunctionArgs) {
  const result = await confirmAddress(getDb(), params.token ?? '');
  if (!result.ok) return linkProblem(result.state);
  return { problem: null, confirmed: result.email, change: result.purpose === 'email_change' };
}

export default function VerifyEmailPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  // NOTE: after a confirmation the loader runs again and finds the link used: the action's
  // answer is what this page shows.
  const problem = actionData ? actionData.problem : loaded.problem;
  if (problem) return <LinkProblem state={problem} kind="address" />;
  if (actionData && 'confirmed' in actionData) {
    return (
      <div className="auth-page">
        <div className="card auth-card" role="status">
          <h1>{actionData.change ? 'Your address is changed' : 'Your address is confirmed'}</h1>
          <p>
            Mail from us now goes to <strong className="break">{actionData.confirmed}</strong>.
          </p>
          <p>
            <Link className="button button-block" to="/">
              Go to the help center
            </Link>
          </p>
        </div>
      </div>
    );
  }
  const email = 'email' in loaded ? loaded.email : '';
  const change = 'change' in loaded && loaded.change;
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <h1>{change ? 'Use your new address' : 'Confirm your email address'}</h1>
        <p>
          {change ? 'Your account will use ' : 'Confirm that '}
          <strong className="break">{email}</strong>
          {change ? ' from now on; the old address is told.' : ' is your address.'}
        </p>
        <Form method="post">
          <button type="submit" className="button button-block" disabled={busy}>
            {change ? 'Use this address' : 'Confirm my address'}
          </button>
        </Form>
      </div>
    </div>
  );
}

export function headers() {
  return { 'Cache-Control': 'no-store' };
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
