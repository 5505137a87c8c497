import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from '@remix-run/react';
import { accountAwaitingProof } from '~/auth/oidc.server';
import { getUser } from '~/auth/session.server';
import { signIn } from '~/auth/sign-in.server';
import { continueSignIn } from '~/auth/two-factor.server';
import { Field, FormError, Notice } from '~/components/forms';
import { listProviders } from '~/models/sign-in-providers.server';
import { signInSchema } from '~/models/users.server';
import { getConfig } from '~/utils/config.server';
import { getDb } from '~/utils/db.server';
import { safeRedirect } from '~/utils/safe-redirect';
import { formFailure, formValues, parseForm } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'Sign in' }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect('/');
  const db = getDb();
  const providers = (await listProviders(db, getConfig())).filter((provider) => provider.enabled);
  const awaiting = await accountAwaitingProof(db, request);
  const labelOf = (slug: string | null) =>
    providers.find((provider) => provider.slug === slug)?.label ?? null;
  return {
    providers: providers.map(({ slug, label }) => ({ slug, label })),
    linking: awaiting ? { label: labelOf(awaiting.provider), email: awaiting.email } : null,
  };
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
  const { providers, linking } = useLoaderData<typeof loader>();
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
        {linking ? (
          <Notice>
            Your {linking.label ?? 'sign-in provider'} account ({linking.email}) matches an account
            here. Sign in with that account&apos;s password once to link them; after that,{' '}
            {linking.label ?? 'the provider'} signs you in.
          </Notice>
        ) : null}
        <FormError>{actionData?.formError}</FormError>
        {providers.length > 0 && !linking ? (
          <>
            <div className="stack">
              {providers.map((provider) => (
                <Form key={provider.slug} method="post" action={`/auth/${provider.slug}`}>
                  <input type="hidden" name="redirectTo" value={redirectTo} />
                  <button type="submit" className="button button-secondary button-block">
                    {provider.label}
                  </button>
                </Form>
              ))}
            </div>
            <p className="auth-divider">
              <span>or with your password</span>
            </p>
          </>
        ) : null}
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
