import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { getUser } from '~/auth/session.server';
import { signIn } from '~/auth/sign-in.server';
import { continueSignIn } from '~/auth/two-factor.server';
import { Field, FormError } from '~/components/forms';
import { signInSchema } from '~/models/users.server';
import { getDb } from '~/utils/db.server';
import { safeRedirect } from '~/utils/safe-redirect';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'Sign in' }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect('/');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(formData, signInSchema);
  if (!parsed.success) return formFailure(parsed);
  const result = await signIn(getDb(), parsed.data, context.clientAddress);
  if (!result.ok) {
    return formFailure(
      { fieldErrors: {}, formError: result.message, values: formValues(formData) },
      result.status,
    );
  }
  return continueSignIn(
    request,
    context.clientAddress,
    result.userId,
    safeRedirect(parsed.data.redirectTo),
  );
}

export default function LoginPage() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const redirectTo = actionData?.values.redirectTo ?? searchParams.get('redirectTo') ?? '';
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <h1>Sign in</h1>
        <p className="muted">
          Welcome back. Sign in to ask questions, follow your requests and more.
        </p>
        <FormError>{actionData?.formError}</FormError>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <Field
            label="Email or username"
            name="login"
            autoComplete="username"
            defaultValue={actionData?.values.login}
            error={actionData?.fieldErrors.login}
            required
          />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            error={actionData?.fieldErrors.password}
            hint={<Link to="/forgot-password">Forgot your password?</Link>}
            required
          />
          <button type="submit" className="button button-block" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </Form>
        <p className="auth-switch">
          Your posts came from another community? <Link to="/claim">Claim your account</Link>
        </p>
        <p className="auth-switch">
          New here?{' '}
          <Link to={redirectTo ? `/signup?${new URLSearchParams({ redirectTo })}` : '/signup'}>
            Create an account
          </Link>
        </p>
      </div>
    </div>
  );
}

export function headers() {
  return { 'Cache-Control': 'no-store' };
}
