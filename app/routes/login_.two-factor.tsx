import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { pendingSignInOf, submitSecondFactor } from '~/auth/two-factor.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { Field, FormError } from '~/components/forms';

// The second step of signing in (/login/two-factor; not nested in /login's layout). The first
// step left a pending sign-in in a cookie; without one there is nothing to finish here.

export const meta: MetaFunction = () => [{ title: 'Two-factor code' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const pending = await pendingSignInOf(request);
  if (!pending) throw redirect('/login');
  return { username: pending.username };
}

export async function action({ request, context }: ActionFunctionArgs) {
  return submitSecondFactor(request, context.clientAddress);
}

export default function TwoFactorStep() {
  const { username } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <h1>Two-factor code</h1>
        <p className="muted">
          Signing in as <strong className="break">{username}</strong>. Open your authenticator app
          and type the code it shows for this site.
        </p>
        <FormError>{actionData?.formError}</FormError>
        <Form method="post" className="stack" noValidate>
          <Field
            label="Code"
            name="code"
            autoComplete="one-time-code"
            autoCapitalize="off"
            spellCheck={false}
            defaultValue={actionData?.values.code}
            error={actionData?.fieldErrors.code}
            hint="Lost your phone? Type one of your recovery codes instead."
            required
          />
          <label className="choice">
            <input type="checkbox" name="remember" value="on" /> Remember this device for 30 days
          </label>
          <button type="submit" className="button button-block" disabled={busy}>
            {busy ? 'Checking…' : 'Verify'}
          </button>
        </Form>
        <p className="auth-switch">
          Not you, or no code at hand? <Link to="/login">Start again</Link>
        </p>
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
